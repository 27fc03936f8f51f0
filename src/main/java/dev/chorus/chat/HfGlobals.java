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

    static List<ELFunctionDefinition> functions() {
        return List.of(
                new ELFunctionDefinition("", "raise_exception", HfGlobals.class, "raiseException", Object.class),
                new ELFunctionDefinition("", "strftime_now", HfGlobals.class, "strftimeNow", String.class),
                new ELFunctionDefinition("", "chorus_print", HfGlobals.class, "print", Object.class));
    }

    static List<ExpTest> tests() {
        return List.of(new Iterable("iterable"), new Iterable("sequence"));
    }

    /** Called by templates to reject a conversation; recorded so render() throws it once Jinjava returns. */
    public static String raiseException(Object message) {
        String text = PyValues.str(message);
        RenderScope.current().raise(text);
        throw ChatTemplateException.raised(text);
    }

    /** What {@code {{ value }}} prints (see TemplateSource): Python's str(value), nothing for null/undefined. */
    public static String print(Object value) {
        return value == null ? "" : PyValues.str(value);
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
