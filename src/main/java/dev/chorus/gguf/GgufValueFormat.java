package dev.chorus.gguf;

import java.util.Locale;

/** Short, one-line renderings of metadata values for listings: long strings and arrays are elided. */
public final class GgufValueFormat {
    private static final int MAX_STRING = 60;
    private static final int MAX_ELEMENTS = 6;

    private GgufValueFormat() {
    }

    /** The value of a metadata entry as one line, unsigned types as unsigned. */
    public static String brief(GgufMetadata.Entry e) {
        return brief(e.type(), e.value());
    }

    static String brief(GgufValueType type, Object value) {
        return switch (type) {
            case UINT8 -> Integer.toString(Byte.toUnsignedInt((Byte) value));
            case UINT16 -> Integer.toString(Short.toUnsignedInt((Short) value));
            case UINT32 -> Integer.toUnsignedString((Integer) value);
            case UINT64 -> Long.toUnsignedString((Long) value);
            case STRING -> quote((String) value);
            case ARRAY -> array((GgufArray) value);
            default -> String.valueOf(value);
        };
    }

    private static String array(GgufArray a) {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(a.length(), MAX_ELEMENTS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(brief(a.elementType(), java.lang.reflect.Array.get(a.values(), i)));
        }
        if (a.length() > shown) {
            sb.append(", ...");
        }
        return sb.append("] (").append(a.length()).append(' ')
                .append(a.elementType().name().toLowerCase(Locale.ROOT)).append(')').toString();
    }

    private static String quote(String s) {
        String oneLine = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        if (oneLine.length() > MAX_STRING) {
            return "\"" + oneLine.substring(0, MAX_STRING) + "\"... (" + s.length() + " chars)";
        }
        return "\"" + oneLine + "\"";
    }
}
