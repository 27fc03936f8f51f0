package dev.chorus.memory;

import java.util.Locale;

/** Parses and prints memory sizes such as {@code 4g}, {@code 512m}, {@code 1.5G}, {@code 65536} (bytes; binary units). */
public final class ByteSize {
    private ByteSize() {
    }

    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("memory size is empty (expected e.g. 4g, 512m, 1048576)");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib") || s.endsWith("b") && s.length() > 1 && Character.isLetter(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - (s.endsWith("ib") ? 2 : 1));
        }
        long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String number = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            double value = Double.parseDouble(number);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid memory size '" + text + "' (expected e.g. 4g, 512m, 1048576)");
        }
    }

    public static String format(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " B";
    }
}
