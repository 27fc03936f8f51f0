package dev.chorus.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code +} and Jinja2's {@code ~}, which Jinjava does differently: its {@code +} joins a string with
 * anything (Python raises TypeError, so transformers rejects e.g. {@code '<|im_start|>' + content} when content is a
 * list of parts or None) and its {@code ~} prints booleans as true/false.
 */
public final class PyOps {
    private PyOps() {
    }

    public static Object add(Object a, Object b) {
        if (a == null || b == null) {
            throw new ChatTemplateException("the chat template adds an undefined value with '+'");
        }
        if (a instanceof PyMarkup || b instanceof PyMarkup) {
            if (isText(a) && isText(b)) {
                return PyMarkup.join(a, b);
            }
        } else if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (isNumber(a) && isNumber(b)) {
            return addNumbers((Number) toNumber(a), (Number) toNumber(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x.size() + y.size());
            out.addAll(x);
            out.addAll(y);
            return out;
        }
        if (isText(a)) {
            throw new ChatTemplateException("can only concatenate str (not \"" + typeName(b) + "\") to str");
        }
        throw new ChatTemplateException("unsupported operand type(s) for +: '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    /**
     * {@code a ~ b}: both converted with str(), undefined as "". Without autoescape (transformers' setting) Jinja2
     * joins plainly even when one side is Markup.
     */
    public static Object concat(Object a, Object b) {
        return (a == null ? "" : PyValues.str(a)) + (b == null ? "" : PyValues.str(b));
    }

    /** Python's {@code *}: numbers multiply, a string or list times an int repeats. */
    public static Object mul(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            Number x = (Number) toNumber(a);
            Number y = (Number) toNumber(b);
            return isIntegral(x) && isIntegral(y) && !(x instanceof BigInteger) && !(y instanceof BigInteger)
                    ? (Object) Math.multiplyExact(x.longValue(), y.longValue()) : (Object) (x.doubleValue() * y.doubleValue());
        }
        Object sequence = isNumber(a) ? b : a;
        Object count = isNumber(a) ? a : b;
        if (isNumber(count) && isIntegral((Number) toNumber(count)) && (isText(sequence) || sequence instanceof List)) {
            int n = Math.max(0, ((Number) toNumber(count)).intValue());
            if (sequence instanceof List<?> list) {
                List<Object> out = new ArrayList<>(list.size() * n);
                for (int i = 0; i < n; i++) {
                    out.addAll(list);
                }
                return out;
            }
            return PyValues.str(sequence).repeat(n);
        }
        throw new ChatTemplateException("unsupported operand type(s) for *: '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    /** Python's {@code %} on numbers: the result takes the divisor's sign (floor modulo). */
    public static Object mod(Object a, Object b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw new ChatTemplateException("unsupported operand type(s) for %: '" + typeName(a) + "' and '"
                    + typeName(b) + "' (string formatting with % is not supported)");
        }
        Number x = (Number) toNumber(a);
        Number y = (Number) toNumber(b);
        if (y.doubleValue() == 0) {
            throw new ChatTemplateException("integer division or modulo by zero");
        }
        if (isIntegral(x) && isIntegral(y)) {
            return Math.floorMod(x.longValue(), y.longValue());
        }
        double r = x.doubleValue() - y.doubleValue() * Math.floor(x.doubleValue() / y.doubleValue());
        return r;
    }

    /**
     * What a Jinja2 for loop iterates: an undefined value as nothing, a string as its characters; None or a number
     * is a TypeError (transformers fails the request), where Jinjava would loop once over the value itself.
     */
    public static Object iterable(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String || value instanceof PyMarkup) {
            return HfFilters.toList(PyValues.str(value));
        }
        if (value == PyNone.NONE || value instanceof Number || value instanceof Boolean) {
            throw new ChatTemplateException("'" + typeName(value) + "' object is not iterable");
        }
        return value;
    }

    private static boolean isText(Object o) {
        return o instanceof String || o instanceof PyMarkup;
    }

    private static boolean isNumber(Object o) {
        return o instanceof Number || o instanceof Boolean;
    }

    private static Object toNumber(Object o) {
        return o instanceof Boolean b ? (b ? 1L : 0L) : o;
    }

    private static Number addNumbers(Number x, Number y) {
        boolean integral = isIntegral(x) && isIntegral(y);
        if (!integral) {
            return x.doubleValue() + y.doubleValue();
        }
        if (x instanceof BigInteger || y instanceof BigInteger) {
            return new BigInteger(x.toString()).add(new BigInteger(y.toString()));
        }
        return Math.addExact(x.longValue(), y.longValue());
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    /** Python's type name of a template value, for error messages. */
    static String typeName(Object o) {
        if (o == null || o == PyNone.NONE) {
            return "NoneType";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof PyMarkup) {
            return "Markup";
        }
        if (o instanceof Number n) {
            return isIntegral(n) ? "int" : (n instanceof BigDecimal ? "float" : "float");
        }
        if (o instanceof Map<?, ?>) {
            return "dict";
        }
        if (o instanceof List<?>) {
            return "list";
        }
        return o.getClass().getSimpleName();
    }
}
