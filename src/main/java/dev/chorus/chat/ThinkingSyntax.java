package dev.chorus.chat;

/**
 * The {@code <think> ... </think>} reasoning block of thinking models (Qwen3, DeepSeek-R1 and their distills), which
 * OpenAI-compatible servers return apart from the answer as {@code reasoning_content}. A template that writes
 * {@code </think>} teaches it. The block may start in the prompt: DeepSeek-R1's generation prompt ends with
 * {@code <think>}, so its answer begins inside the block; Qwen3 with thinking off closes an empty block in the prompt.
 */
public final class ThinkingSyntax {
    public static final String OPEN = "<think>";
    public static final String CLOSE = "</think>";

    private ThinkingSyntax() {
    }

    /** An answer split into its reasoning (null when none) and the rest. */
    public record Split(String reasoning, String content) {
    }

    /** Whether the chat template teaches a thinking block. */
    public static boolean taughtBy(String templateSource) {
        return templateSource != null && templateSource.contains(CLOSE);
    }

    /** Whether a rendered prompt leaves a thinking block open, so the answer starts inside it. */
    public static boolean promptOpensBlock(String prompt) {
        return prompt != null && prompt.lastIndexOf(OPEN) > prompt.lastIndexOf(CLOSE);
    }

    /**
     * Splits a finished answer. Inside the block (opened by the prompt, or by the answer's first characters) every
     * character up to {@code </think>} is reasoning; a block never closed (cut by max_tokens) is all reasoning.
     */
    public static Split split(String output, boolean startsInside) {
        String rest = output;
        if (!startsInside) {
            String lead = output.stripLeading();
            if (!lead.startsWith(OPEN)) {
                return new Split(null, output);
            }
            rest = lead.substring(OPEN.length());
        }
        int close = rest.indexOf(CLOSE);
        if (close < 0) {
            return new Split(rest.strip(), "");
        }
        return new Split(rest.substring(0, close).strip(), rest.substring(close + CLOSE.length()).stripLeading());
    }
}
