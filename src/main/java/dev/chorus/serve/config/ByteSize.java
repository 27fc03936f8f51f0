package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A memory or request size such as {@code 4g}, {@code 512m}, {@code 64k} or a plain byte count. Suffixes are binary
 * (k = 1024); an optional trailing {@code b}/{@code ib} is accepted ({@code 4GiB}, {@code 4gb}).
 */
public record ByteSize(long bytes) {
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    /** Parses with the tiers package's size syntax (binary units: 4g, 512m, 1.5G, 65536). */
    @JsonCreator
    public static ByteSize parse(Object value) {
        if (value instanceof Number n) {
            return new ByteSize(n.longValue());
        }
        try {
            return new ByteSize(dev.chorus.memory.ByteSize.parse(String.valueOf(value)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad size '" + value + "' (use a byte count or e.g. 512m, 4g)", e);
        }
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
