package dev.chorus.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ObjectTruthValue;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Filters that replace Jinjava's where Hugging Face's Jinja2 environment behaves differently, plus two helpers. */
final class HfFilters {
    private HfFilters() {
    }

    static List<Filter> all() {
        return List.of(new ToJson(), new Trim(), new PyString(), new Items(), new Slice(), new LoopFilter(),
                new Length("length"), new Length("count"), new Title(), new Default("default"), new Default("d"),
                new Indent(), new Safe(), new Extreme("max"), new Extreme("min"));
    }

    /** Base for filters that take positional and keyword arguments. */
    private abstract static class KwFilter implements Filter {
        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public abstract Object filter(Object var, JinjavaInterpreter interpreter, Object[] args,
                                      Map<String, Object> kwargs);
    }

    /** HF's tojson (see {@link PyJson}); Jinjava's version uses compact separators and escapes HTML. */
    static final class ToJson extends KwFilter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : (args.length > 0 ? args[0] : null);
            return PyJson.dumps(var, indent == null || indent == PyNone.NONE ? null : PyMethods.toInt(indent));
        }
    }

    /** Jinja2's trim is Python's str.strip(chars): Unicode whitespace, not Java's "chars <= space". */
    static final class Trim extends KwFilter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object chars = kwargs.getOrDefault("chars", args.length > 0 ? args[0] : null);
            return PyStrings.strip(PyValues.str(var), chars == null ? null : chars.toString());
        }
    }

    /** |string is Python's str(): None, True, {'a': 1} instead of Java's toString. */
    static final class PyString extends KwFilter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return var == null ? "" : PyValues.str(var);
        }
    }

    /** |length and |count are Python's len(): code points for strings. */
    static final class Length extends KwFilter {
        private final String name;

        Length(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return (long) PyValues.length(var);
        }
    }

    /**
     * Jinja2's |default(value, boolean=false): replaces an undefined value, and with boolean=true any false value
     * (Python truthiness, so None and "" too).
     */
    static final class Default extends KwFilter {
        private final String name;

        Default(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object fallback = kwargs.getOrDefault("default_value", args.length > 0 ? args[0] : "");
            Object booleanArg = kwargs.getOrDefault("boolean", args.length > 1 ? args[1] : false);
            boolean replaceFalse = PyValues.truth(booleanArg);
            return var == null || (replaceFalse && !PyValues.truth(var)) ? fallback : var;
        }
    }

    /** Jinja2's |indent(width=4, first=false, blank=false): indents every line but the first (unless first). */
    static final class Indent extends KwFilter {
        @Override
        public String getName() {
            return "indent";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object width = kwargs.getOrDefault("width", args.length > 0 ? args[0] : 4L);
            boolean first = PyValues.truth(kwargs.getOrDefault("first", args.length > 1 ? args[1] : false));
            boolean blank = PyValues.truth(kwargs.getOrDefault("blank", args.length > 2 ? args[2] : false));
            String indention = width instanceof String w ? w : " ".repeat(PyMethods.toInt(width));
            List<String> lines = PyStrings.splitlines(PyValues.str(var) + "\n");
            StringBuilder out = new StringBuilder(lines.isEmpty() ? "" : lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                out.append('\n').append(blank || !line.isEmpty() ? indention : "").append(line);
            }
            return first ? indention + out : out.toString();
        }
    }

    /** Jinja2's |max / |min(case_sensitive=false, attribute=none); undefined for an empty sequence. */
    static final class Extreme extends KwFilter {
        private final String name;

        Extreme(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            boolean caseSensitive = PyValues.truth(kwargs.getOrDefault("case_sensitive", args.length > 0 ? args[0] : false));
            Object attribute = kwargs.getOrDefault("attribute", args.length > 1 ? args[1] : null);
            Object best = null;
            Object bestKey = null;
            for (Object item : toList(var)) {
                Object key = attribute == null || attribute == PyNone.NONE ? item
                        : item instanceof Map<?, ?> m ? m.get(attribute.toString()) : null;
                if (key instanceof String s && !caseSensitive) {
                    key = s.toLowerCase(java.util.Locale.ROOT);
                }
                if (best == null || (name.equals("max") ? compare(key, bestKey) > 0 : compare(key, bestKey) < 0)) {
                    best = item;
                    bestKey = key;
                }
            }
            return best;
        }

        private static int compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            if (a instanceof String x && b instanceof String y) {
                return x.compareTo(y);
            }
            throw new ChatTemplateException("'<' not supported between instances of '" + PyOps.typeName(a)
                    + "' and '" + PyOps.typeName(b) + "'");
        }
    }

    /** |safe marks text as Markup (see {@link PyMarkup}). */
    static final class Safe extends KwFilter {
        @Override
        public String getName() {
            return "safe";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return var instanceof PyMarkup ? var : new PyMarkup(var == null ? "" : PyValues.str(var));
        }
    }

    /** Jinja2's |title: words start after '-', whitespace, '(', '{', '[' or '<'; the rest of a word is lower case. */
    static final class Title extends KwFilter {
        @Override
        public String getName() {
            return "title";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            String s = PyValues.str(var);
            StringBuilder b = new StringBuilder(s.length());
            boolean wordStart = true;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean separator = c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || PyStrings.isSpace(c);
                b.append(separator ? c : wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c));
                wordStart = separator;
            }
            return b.toString();
        }
    }

    /** Jinja2 3.1's |items: the (key, value) pairs of a mapping. */
    static final class Items extends KwFilter {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            List<Map.Entry<Object, Object>> items = new ArrayList<>();
            if (var instanceof Map<?, ?> map) {
                map.forEach((k, v) -> items.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
            } else if (var != null) {
                throw new ChatTemplateException("items filter expects a mapping, got " + PyValues.repr(var));
            }
            return items;
        }
    }

    /** {@code x|chorus_slice(start, stop, step)}: Python's x[start:stop:step] (written by {@link ExtendedSlices}). */
    static final class Slice extends KwFilter {
        @Override
        public String getName() {
            return "chorus_slice";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object[] a = Arrays.copyOf(args, 3);
            for (int i = 0; i < a.length; i++) {
                a[i] = a[i] == PyNone.NONE ? null : a[i];
            }
            int step = a[2] == null ? 1 : PyMethods.toInt(a[2]);
            if (step == 0) {
                throw new ChatTemplateException("slice step cannot be zero");
            }
            if (var instanceof String s) {
                int[] codePoints = s.codePoints().toArray();
                StringBuilder b = new StringBuilder();
                for (int i : indices(codePoints.length, a[0], a[1], step)) {
                    b.appendCodePoint(codePoints[i]);
                }
                return b.toString();
            }
            List<Object> items = toList(var);
            List<Object> out = new ArrayList<>();
            for (int i : indices(items.size(), a[0], a[1], step)) {
                out.add(items.get(i));
            }
            return out;
        }

        /** Python's slice.indices(): clamped bounds, defaults depending on the step's sign. */
        private static int[] indices(int length, Object startArg, Object stopArg, int step) {
            int start = bound(startArg, length, step, step > 0 ? 0 : length - 1);
            int stop = bound(stopArg, length, step, step > 0 ? length : -1);
            int count = step > 0 ? Math.max(0, (stop - start + step - 1) / step)
                    : Math.max(0, (start - stop - step - 1) / -step);
            int[] out = new int[count];
            for (int k = 0; k < count; k++) {
                out[k] = start + k * step;
            }
            return out;
        }

        private static int bound(Object arg, int length, int step, int fallback) {
            if (arg == null) {
                return fallback;
            }
            int i = PyMethods.toInt(arg);
            if (i < 0) {
                i += length;
                return i < 0 ? (step > 0 ? 0 : -1) : i;
            }
            return i >= length ? (step > 0 ? length : length - 1) : i;
        }
    }

    /**
     * {@code xs|chorus_loop_filter('targets', 'cond')}: the items of xs for which cond holds with the loop targets
     * bound (written by {@link LoopFilters} for Jinja2's {@code for x in xs if cond}).
     */
    static final class LoopFilter extends KwFilter {
        @Override
        public String getName() {
            return "chorus_loop_filter";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            String[] targets = args[0].toString().replace("(", "").replace(")", "").split(",");
            String condition = args[1].toString();
            List<Object> kept = new ArrayList<>();
            for (Object item : toList(var)) {
                interpreter.enterScope();
                try {
                    bind(interpreter, targets, item);
                    if (ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition,
                            interpreter.getLineNumber()))) {
                        kept.add(item);
                    }
                } finally {
                    interpreter.leaveScope();
                }
            }
            return kept;
        }

        private static void bind(JinjavaInterpreter interpreter, String[] targets, Object item) {
            if (targets.length == 1) {
                interpreter.getContext().put(targets[0].strip(), item);
                return;
            }
            List<Object> values = item instanceof Map.Entry<?, ?> e ? Arrays.asList(e.getKey(), e.getValue())
                    : toList(item);
            if (values.size() != targets.length) {
                throw new ChatTemplateException("cannot unpack " + values.size() + " values into "
                        + targets.length + " loop variables");
            }
            for (int i = 0; i < targets.length; i++) {
                interpreter.getContext().put(targets[i].strip(), values.get(i));
            }
        }
    }

    /** The items a Jinja2 loop would see: a list's elements, a mapping's keys, a string's characters. */
    static List<Object> toList(Object var) {
        List<Object> out = new ArrayList<>();
        if (var == null) {
            return out;
        }
        if (var instanceof Map<?, ?> map) {
            out.addAll(map.keySet());
        } else if (var instanceof Iterable<?> items) {
            items.forEach(out::add);
        } else if (var instanceof Object[] array) {
            out.addAll(Arrays.asList(array));
        } else if (var instanceof String s) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        } else {
            throw new ChatTemplateException("object of type " + var.getClass().getSimpleName() + " is not iterable");
        }
        return out;
    }
}
