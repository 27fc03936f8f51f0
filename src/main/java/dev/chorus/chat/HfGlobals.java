package dev.chorus.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The globals transformers adds to its Jinja environment ({@code raise_exception}, {@code strftime_now}) and the
 * tests where Jinjava disagrees with Python ({@code iterable}/{@code sequence} are true for strings in Python).
 */
final class HfGlobals {
    private HfGlobals() {
    }

    /** Names of the template-visible globals transformers defines. */
    static final List<String> FUNCTION_NAMES = List.of("raise_exception", "strftime_now");

    /** Bound under a global function's name so that {@code name is defined} is true, as in Jinja2. */
    record FunctionMarker(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    static List<ELFunctionDefinition> functions() {
        return List.of(
                new ELFunctionDefinition("", "raise_exception", HfGlobals.class, "raiseException", Object.class),
                new ELFunctionDefinition("", "strftime_now", HfGlobals.class, "strftimeNow", String.class),
                new ELFunctionDefinition("", "chorus_print", HfGlobals.class, "print", Object.class),
                new ELFunctionDefinition("", "chorus_truth", HfGlobals.class, "truth", Object.class),
                new ELFunctionDefinition("", "chorus_add", PyOps.class, "add", Object.class, Object.class),
                new ELFunctionDefinition("", "chorus_concat", PyOps.class, "concat", Object.class, Object.class),
                new ELFunctionDefinition("", "chorus_iter", PyOps.class, "iterable", Object.class),
                new ELFunctionDefinition("", "chorus_mul", PyOps.class, "mul", Object.class, Object.class),
                new ELFunctionDefinition("", "chorus_mod", PyOps.class, "mod", Object.class, Object.class));
    }

    static List<ExpTest> tests() {
        return List.of(new Iterable("iterable"), new Iterable("sequence"), new IsNone());
    }

    /** Called by templates to reject a conversation; recorded so render() throws it once Jinjava returns. */
    public static String raiseException(Object message) {
        String text = PyValues.str(message);
        RenderScope.current().raise(text);
        throw ChatTemplateException.raised(text);
    }

    /** What {@code {{ value }}} prints (see TemplateSource): Python's str(value), nothing when undefined (null). */
    public static String print(Object value) {
        return value == null ? "" : PyValues.str(value);
    }

    /** Python's truth value (see Expressions): "false" is a true string, 0.0 and empty containers are false. */
    public static boolean truth(Object value) {
        return PyValues.truth(value);
    }

    /** Python's datetime.now().strftime(format) on the render's clock. */
    public static String strftimeNow(String format) {
        return strftime(ZonedDateTime.now(RenderScope.current().clock()), format);
    }

    static String strftime(ZonedDateTime t, String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                b.append(c);
                continue;
            }
            char f = format.charAt(++i);
            switch (f) {
                case 'Y' -> b.append(t.getYear());
                case 'y' -> b.append(String.format("%02d", t.getYear() % 100));
                case 'm' -> b.append(String.format("%02d", t.getMonthValue()));
                case 'd' -> b.append(String.format("%02d", t.getDayOfMonth()));
                case 'e' -> b.append(String.format("%2d", t.getDayOfMonth()));
                case 'H' -> b.append(String.format("%02d", t.getHour()));
                case 'I' -> b.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                case 'M' -> b.append(String.format("%02d", t.getMinute()));
                case 'S' -> b.append(String.format("%02d", t.getSecond()));
                case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> b.append(String.format("%03d", t.getDayOfYear()));
                case 'b' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case '%' -> b.append('%');
                default -> b.append('%').append(f);
            }
        }
        return b.toString();
    }

    /** {@code x is none}: only Python's None (see {@link PyNone}); an undefined value is not none. */
    private record IsNone() implements ExpTest {
        @Override
        public String getName() {
            return "none";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var == PyNone.NONE;
        }
    }

    /** Python: str, list, tuple and dict are all iterable; strings are sequences too. */
    private record Iterable(String name) implements ExpTest {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            boolean iterable = var instanceof String || var instanceof java.lang.Iterable<?> || var instanceof Object[];
            return iterable || (name.equals("iterable") && var instanceof Map<?, ?>);
        }
    }
}
