package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory or request size such as {@code 4g}, {@code 512m}, {@code 64k} or a plain byte count. Suffixes are binary
 * (k = 1024); an optional trailing {@code b}/{@code ib} is accepted ({@code 4GiB}, {@code 4gb}).
 */
public record ByteSize(long bytes) {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    @JsonCreator
    public static ByteSize parse(Object value) {
        if (value instanceof Number n) {
            return new ByteSize(n.longValue());
        }
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size '" + value + "' (use a byte count or e.g. 512m, 4g)");
        }
        double number = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = number * (1L << shift);
        if (bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("size '" + value + "' is too large");
        }
        return new ByteSize((long) bytes);
    }

    @JsonValue
    @Override
    public String toString() {
        String[] units = {"", "k", "m", "g", "t"};
        long v = bytes;
        int unit = 0;
        while (unit < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            unit++;
        }
        return v + units[unit];
    }
}
