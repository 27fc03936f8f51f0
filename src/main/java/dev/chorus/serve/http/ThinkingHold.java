package dev.chorus.serve.http;

import dev.chorus.chat.Markup;
import dev.chorus.chat.ThinkingSyntax;

/**
 * Splits a streamed answer of a thinking model into reasoning and content as it comes: text inside the
 * {@code <think>} block goes out as reasoning, the rest as content. Text that may still turn out to be a tag (a
 * partial {@code <think>} at the start, a partial {@code </think>} inside) is held until it is decided.
 */
final class ThinkingHold {
    private enum State { UNDECIDED, INSIDE, OUTSIDE }

    private State state;
    private final StringBuilder pending = new StringBuilder();
    /** Blank lines after a tag are layout, not text (as {@link ThinkingSyntax#split} strips them). */
    private boolean dropLeadingBlank = true;

    /** Text to send now: reasoning, then content (either may be empty). */
    record Piece(String reasoning, String content) {
    }

    private ThinkingHold(boolean startsInside) {
        this.state = startsInside ? State.INSIDE : State.UNDECIDED;
    }

    /**
     * A splitter for this execution, or null when it is not a chat (a raw text completion is not templated) or its
     * expert's template teaches no thinking block.
     */
    static ThinkingHold of(Execution x) {
        return applies(x) ? new ThinkingHold(startsInside(x)) : null;
    }

    /** Whether this execution's answer is split into reasoning and content. */
    static boolean applies(Execution x) {
        return x.call().format() == ApiFormat.CHAT && x.expert().writesThinking();
    }

    /** Whether the answer starts inside the thinking block (the prompt opened it). */
    static boolean startsInside(Execution x) {
        return ThinkingSyntax.promptOpensBlock(x.prompt().text());
    }

    /** A splitter for an answer that starts inside the block (the prompt opened it) or not. */
    static ThinkingHold startingInside(boolean inside) {
        return new ThinkingHold(inside);
    }

    Piece accept(String text) {
        pending.append(text);
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        while (true) {
            if (state == State.UNDECIDED) {
                String lead = pending.toString().stripLeading();
                if (lead.startsWith(ThinkingSyntax.OPEN)) {
                    state = State.INSIDE;
                    dropLeadingBlank = true;
                    pending.setLength(0);
                    pending.append(lead, ThinkingSyntax.OPEN.length(), lead.length());
                    continue;
                }
                if (lead.isEmpty() || ThinkingSyntax.OPEN.startsWith(lead)) {
                    break;
                }
                state = State.OUTSIDE;
                dropLeadingBlank = false;
            }
            if (state == State.OUTSIDE) {
                take(content, pending.length());
                break;
            }
            int close = pending.indexOf(ThinkingSyntax.CLOSE);
            if (close >= 0) {
                take(reasoning, close);
                pending.delete(0, ThinkingSyntax.CLOSE.length());
                state = State.OUTSIDE;
                dropLeadingBlank = true;
                continue;
            }
            take(reasoning, pending.length() - Markup.partialAtEnd(pending, ThinkingSyntax.CLOSE));
            break;
        }
        return new Piece(reasoning.toString(), content.toString());
    }

    /** Whatever is still held, at the end of the answer. */
    Piece end() {
        String rest = pending.toString();
        pending.setLength(0);
        return state == State.INSIDE ? new Piece(rest, "") : new Piece("", rest);
    }

    /** Moves the first {@code n} pending characters to {@code out}, dropping blanks right after a tag. */
    private void take(StringBuilder out, int n) {
        int from = 0;
        if (dropLeadingBlank) {
            while (from < n && Character.isWhitespace(pending.charAt(from))) {
                from++;
            }
            if (from < n) {
                dropLeadingBlank = false;
            }
        }
        out.append(pending, from, n);
        pending.delete(0, n);
    }
}
