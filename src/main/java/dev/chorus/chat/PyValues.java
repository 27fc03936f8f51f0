package dev.chorus.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/** Python's {@code str()} / {@code repr()} of the values templates handle (strings, numbers, None, lists, dicts). */
final class PyValues {
    private PyValues() {
    }

    /** Python's {@code bool(value)}. */
    static boolean truth(Object value) {
        if (value == null || value == PyNone.NONE) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof BigDecimal d) {
            return d.signum() != 0;
        }
        if (value instanceof BigInteger i) {
            return i.signum() != 0;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence s) {
            return !s.isEmpty();
        }
        if (value instanceof java.util.Collection<?> c) {
            return !c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof Object[] a) {
            return a.length > 0;
        }
        return true;
    }

    /** {@code len(value)}: strings count code points (an emoji is one), as in Python. */
    static int length(Object value) {
        if (value == null) {
            return 0; // Jinja2: an undefined value has length 0
        }
        if (value == PyNone.NONE) {
            throw new ChatTemplateException("object of type 'NoneType' has no len()");
        }
        if (value instanceof CharSequence s) {
            return Character.codePointCount(s, 0, s.length());
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.size();
        }
        if (value instanceof Map<?, ?> m) {
            return m.size();
        }
        if (value instanceof Object[] a) {
            return a.length;
        }
        if (value instanceof Iterable<?> items) {
            int n = 0;
            for (Object ignored : items) {
                n++;
            }
            return n;
        }
        throw new ChatTemplateException("object of type " + value.getClass().getSimpleName() + " has no len()");
    }

    /** {@code str(value)}, which is what Jinja2 prints for {@code {{ value }}} and {@code value|string}. */
    static String str(Object value) {
        if (value instanceof PyMarkup m) {
            return m.text();
        }
        return value instanceof String s ? s : repr(value);
    }

    static String repr(Object value) {
        if (value == null || value == PyNone.NONE) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof CharSequence s) {
            return PyStrings.repr(s.toString());
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                b.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append('}').toString();
        }
        if (value instanceof Map.Entry<?, ?> e) {
            return "(" + repr(e.getKey()) + ", " + repr(e.getValue()) + ")";
        }
        if (value instanceof Iterable<?> items) {
            StringBuilder b = new StringBuilder("[");
            Iterator<?> it = items.iterator();
            while (it.hasNext()) {
                b.append(repr(it.next()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append(']').toString();
        }
        return value.toString();
    }

    /** Python's number formatting: ints as digits, floats as {@code repr(float)} (shortest round trip). */
    static String number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        return floatRepr(n.doubleValue());
    }

    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // position of the first digit
        String sign = d < 0 ? "-" : "";
        if (exponent >= -5 + 1 && exponent < 16) {
            String plain = shortest.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
}
