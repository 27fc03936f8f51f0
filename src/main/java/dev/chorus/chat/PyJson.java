package dev.chorus.chat;

import java.util.Iterator;
import java.util.Map;

/**
 * Hugging Face's {@code tojson}: Python {@code json.dumps(x, ensure_ascii=False, indent=indent)} — separators
 * {@code ", "}/{@code ": "} (item separator {@code ","} plus newline when indented), non-ASCII kept, no HTML
 * escaping, keys in insertion order, floats as Python prints them.
 */
final class PyJson {
    private PyJson() {
    }

    /** @param indent spaces per level, or null for one line */
    static String dumps(Object value, Integer indent) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, Integer indent, int depth) {
        if (value == null || value == PyNone.NONE) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Number n) {
            out.append(number(n));
        } else if (value instanceof CharSequence || value instanceof PyMarkup) {
            string(out, value.toString());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(out, map, indent, depth);
        } else if (value instanceof Iterable<?> items) {
            writeList(out, items.iterator(), indent, depth);
        } else if (value instanceof Object[] array) {
            writeList(out, java.util.Arrays.asList(array).iterator(), indent, depth);
        } else {
            throw new ChatTemplateException("tojson: object of type " + value.getClass().getSimpleName()
                    + " is not JSON serializable");
        }
    }

    private static String number(Number n) {
        String s = PyValues.number(n);
        return switch (s) {
            case "nan" -> "NaN";
            case "inf" -> "Infinity";
            case "-inf" -> "-Infinity";
            default -> s;
        };
    }

    private static void writeMap(StringBuilder out, Map<?, ?> map, Integer indent, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(out, indent, depth + 1);
            string(out, key(e.getKey()));
            out.append(": ");
            write(out, e.getValue(), indent, depth + 1);
            if (it.hasNext()) {
                out.append(indent == null ? ", " : ",");
            }
        }
        newline(out, indent, depth);
        out.append('}');
    }

    private static void writeList(StringBuilder out, Iterator<?> it, Integer indent, int depth) {
        if (!it.hasNext()) {
            out.append("[]");
            return;
        }
        out.append('[');
        while (it.hasNext()) {
            newline(out, indent, depth + 1);
            write(out, it.next(), indent, depth + 1);
            if (it.hasNext()) {
                out.append(indent == null ? ", " : ",");
            }
        }
        newline(out, indent, depth);
        out.append(']');
    }

    /** Python converts None/bool/number keys to their JSON text. */
    private static String key(Object key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        return key instanceof Number n ? number(n) : key.toString();
    }

    private static void newline(StringBuilder out, Integer indent, int depth) {
        if (indent != null) {
            out.append('\n').repeat(' ', indent * depth);
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
