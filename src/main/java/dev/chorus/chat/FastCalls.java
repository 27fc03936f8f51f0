package dev.chorus.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;

import java.util.Arrays;
import java.util.Map;

/**
 * Calls filters and tests directly. Jinjava compiles {@code x|f(a)} into a method call {@code filter(...)} on the
 * filter object, which its bean resolver looks up by reflection on every evaluation (Class.getMethods() and a
 * stream search): that was most of the render time. The call made here is the same overload it would pick.
 */
final class FastCalls {
    private FastCalls() {
    }

    @SuppressWarnings("unchecked")
    static Object invoke(Object base, String method, Object[] params) {
        if (base instanceof Filter filter && method.equals("filter") && params.length == 4
                && params[1] instanceof JinjavaInterpreter interpreter && params[2] instanceof Object[] args
                && params[3] instanceof Map<?, ?> kwargs) {
            return filter.filter(params[0], interpreter, args, (Map<String, Object>) kwargs);
        }
        if (base instanceof ExpTest test && params.length >= 2 && params[1] instanceof JinjavaInterpreter interpreter
                && (method.equals("evaluate") || method.equals("evaluateNegated"))) {
            Object[] args = testArgs(params);
            return method.equals("evaluate") ? test.evaluate(params[0], interpreter, args)
                    : test.evaluateNegated(params[0], interpreter, args);
        }
        return PyMethods.NOT_HANDLED;
    }

    /** The test's own arguments: passed flat, or already packed as the varargs array. */
    private static Object[] testArgs(Object[] params) {
        if (params.length == 3 && params[2] instanceof Object[] packed) {
            return packed;
        }
        return Arrays.copyOfRange(params, 2, params.length);
    }
}
