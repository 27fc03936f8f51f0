package dev.chorus.sampling;

import java.util.List;

/**
 * Watches streamed text for stop strings. {@link #feed} returns the text that is safe to show: everything except
 * a tail that could still be the start of a stop string, which is held back until it is decided. When a stop string
 * appears, the text before it is released and {@link #stopped()} turns true; the stop string itself is never shown.
 */
public final class StopStrings {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;
    private String matched;

    public StopStrings(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Adds newly decoded text; returns the part that can be emitted now. */
    public String feed(String text) {
        if (stopped) {
            return "";
        }
        pending.append(text);
        int earliest = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
                matched = s;
            }
        }
        if (earliest >= 0) {
            stopped = true;
            String out = pending.substring(0, earliest);
            pending.setLength(0);
            return out;
        }
        int hold = 0;
        for (String s : stops) {
            hold = Math.max(hold, partialSuffix(pending, s));
        }
        String out = pending.substring(0, pending.length() - hold);
        pending.delete(0, pending.length() - hold);
        return out;
    }

    /** The text held back, released at the end of generation when no stop string completed. */
    public String flush() {
        String out = stopped ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }

    public boolean stopped() {
        return stopped;
    }

    /** The stop string that ended the text, or null. */
    public String matched() {
        return matched;
    }

    /** Length of the longest suffix of text that is a proper prefix of stop. */
    private static int partialSuffix(CharSequence text, String stop) {
        int max = Math.min(text.length(), stop.length() - 1);
        for (int len = max; len > 0; len--) {
            boolean match = true;
            for (int i = 0; i < len; i++) {
                if (text.charAt(text.length() - len + i) != stop.charAt(i)) {
                    match = false;
                    break;
                }
            }
            if (match) {
                return len;
            }
        }
        return 0;
    }
}
