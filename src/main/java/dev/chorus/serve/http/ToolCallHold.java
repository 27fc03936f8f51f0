package dev.chorus.serve.http;

import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.serve.GeneratedToken;

import java.util.ArrayList;
import java.util.List;

/**
 * Streams an answer's text while watching for tool-call markup: text before the markup goes out as it comes, the
 * markup (and anything that could still become markup) is held back, and at the end the held text is parsed into
 * tool calls, or released as text when it holds none. Tokens keep their log-probabilities: a held token's go out with
 * the chunk that releases its text.
 */
final class ToolCallHold {
    private final ToolCallSyntax syntax;
    private final StringBuilder answer = new StringBuilder();
    private final List<GeneratedToken> heldTokens = new ArrayList<>();
    private int sent;

    /** What to send now (or at the end): text and the tokens whose log-probabilities go with it. */
    record Release(String text, List<GeneratedToken> tokens) {
        boolean isEmpty() {
            return text.isEmpty() && tokens.isEmpty();
        }
    }

    /** The end of the answer: text still to send, then the tool calls found in the held part (maybe none). */
    record End(Release release, List<ToolCallSyntax.ToolCall> calls) {
    }

    private ToolCallHold(ToolCallSyntax syntax) {
        this.syntax = syntax;
    }

    /** Whether this execution's answer is parsed for tool calls (tools offered, and a syntax its expert writes). */
    static boolean applies(Execution x) {
        return x.call().toolCalls() && x.expert().toolCallSyntax() != ToolCallSyntax.NONE;
    }

    /** A hold for this execution, or null when its answer is plain text. */
    static ToolCallHold of(Execution x) {
        return applies(x) ? new ToolCallHold(x.expert().toolCallSyntax()) : null;
    }

    /** Adds a token's text; returns what may be sent now. {@code token} is null when it carries no log-probs. */
    Release accept(String text, GeneratedToken token) {
        answer.append(text);
        if (token != null) {
            heldTokens.add(token);
        }
        int markup = syntax.markupStart(answer.toString());
        int safe = markup < 0 ? answer.length() : markup;
        if (safe <= sent) {
            return new Release("", List.of());
        }
        return release(safe);
    }

    /** Parses what is held: the tool calls, and any text around them. */
    End end() {
        String held = answer.substring(sent);
        ToolCallSyntax.Reply reply = syntax.parse(held);
        if (reply.calls().isEmpty()) {
            return new End(release(answer.length()), List.of());
        }
        List<GeneratedToken> tokens = List.copyOf(heldTokens);
        heldTokens.clear();
        sent = answer.length();
        return new End(new Release(reply.content() == null ? "" : reply.content(), tokens), reply.calls());
    }

    private Release release(int upTo) {
        String text = answer.substring(sent, upTo);
        sent = upTo;
        List<GeneratedToken> tokens = List.copyOf(heldTokens);
        heldTokens.clear();
        return new Release(text, tokens);
    }
}
