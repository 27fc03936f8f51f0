package dev.chorus.chat;

import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Gives strings, dicts and lists the Python methods chat templates call ({@code content.startswith('<think>')},
 * {@code text.split('</think>')[-1]}, {@code tool.items()}, {@code d.get('k', default)}...). Jinjava would otherwise
 * call Java methods of the same name with different meaning (String.split takes a regex and drops trailing empty
 * pieces) or fail. Placed first in the EL resolver chain; anything it does not know falls through to Jinjava.
 */
final class PyMethods extends ELResolver {
    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        String name = method.toString();
        Object result;
        if (base instanceof Filter || base instanceof ExpTest) {
            result = FastCalls.invoke(base, name, args);
        } else if (base instanceof String s) {
            result = stringMethod(s, name, args);
        } else if (base instanceof Map<?, ?> map) {
            result = mapMethod(map, name, args);
        } else if (base instanceof List<?> list) {
            result = listMethod(list, name, args);
        } else {
            return null;
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    static final Object NOT_HANDLED = new Object();

    private static Object stringMethod(String s, String name, Object[] a) {
        return switch (name) {
            case "strip" -> PyStrings.strip(s, optString(a, 0));
            case "lstrip" -> PyStrings.lstrip(s, optString(a, 0));
            case "rstrip" -> PyStrings.rstrip(s, optString(a, 0));
            case "split" -> PyStrings.split(s, optString(a, 0), a.length > 1 ? toInt(a[1]) : -1);
            case "startswith" -> affix(s, a, true);
            case "endswith" -> affix(s, a, false);
            case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
            case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
            case "title" -> PyStrings.title(s);
            case "capitalize" -> PyStrings.capitalize(s);
            case "replace" -> PyStrings.replace(s, str(a, 0), str(a, 1), a.length > 2 ? toInt(a[2]) : -1);
            case "find" -> s.indexOf(str(a, 0));
            case "count" -> countOf(s, str(a, 0));
            case "join" -> join(s, a);
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(c -> PyStrings.isSpace((char) c));
            default -> NOT_HANDLED;
        };
    }

    private static Object mapMethod(Map<?, ?> map, String name, Object[] a) {
        return switch (name) {
            case "items" -> {
                List<Map.Entry<Object, Object>> items = new ArrayList<>(map.size());
                map.forEach((k, v) -> items.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
                yield items;
            }
            case "keys" -> new ArrayList<>(map.keySet());
            case "values" -> new ArrayList<>(map.values());
            case "get" -> {
                if (a.length == 0) {
                    throw new ChatTemplateException("dict.get() needs a key");
                }
                yield map.containsKey(a[0]) ? map.get(a[0]) : (a.length > 1 ? a[1] : PyNone.NONE);
            }
            default -> NOT_HANDLED;
        };
    }

    private static Object listMethod(List<?> list, String name, Object[] a) {
        return switch (name) {
            case "index" -> {
                int at = list.indexOf(a.length > 0 ? a[0] : null);
                if (at < 0) {
                    throw new ChatTemplateException("list.index(x): x not in list");
                }
                yield at;
            }
            case "count" -> list.stream().filter(x -> java.util.Objects.equals(x, a.length > 0 ? a[0] : null)).count();
            default -> NOT_HANDLED;
        };
    }

    private static boolean affix(String s, Object[] a, boolean prefix) {
        if (a.length == 0) {
            throw new ChatTemplateException((prefix ? "startswith" : "endswith") + "() needs an argument");
        }
        int start = a.length > 1 && a[1] != null ? clamp(toInt(a[1]), s.length()) : 0;
        int end = a.length > 2 && a[2] != null ? clamp(toInt(a[2]), s.length()) : s.length();
        String window = start <= end ? s.substring(start, end) : "";
        Iterable<?> candidates = a[0] instanceof Iterable<?> many ? many : List.of(a[0]);
        for (Object candidate : candidates) {
            String c = String.valueOf(candidate);
            if (prefix ? window.startsWith(c) : window.endsWith(c)) {
                return true;
            }
        }
        return false;
    }

    private static int clamp(int index, int length) {
        int i = index < 0 ? index + length : index;
        return Math.max(0, Math.min(length, i));
    }

    private static long countOf(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String separator, Object[] a) {
        if (a.length == 0 || !(a[0] instanceof Iterable<?> items)) {
            throw new ChatTemplateException("str.join() needs a list");
        }
        StringBuilder b = new StringBuilder();
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            b.append(PyValues.str(it.next()));
            if (it.hasNext()) {
                b.append(separator);
            }
        }
        return b.toString();
    }

    private static String optString(Object[] a, int i) {
        return a.length > i && a[i] != null ? a[i].toString() : null;
    }

    private static String str(Object[] a, int i) {
        if (a.length <= i || a[i] == null) {
            throw new ChatTemplateException("string method argument " + (i + 1) + " is missing");
        }
        return a[i].toString();
    }

    static int toInt(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        throw new ChatTemplateException("expected an integer, got " + PyValues.repr(o));
    }

    /** {@code s[i]} on a string is Python's: the i-th code point, negative from the end; other access is Jinjava's. */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        // Jinjava passes the index as text ("0", "-1").
        Integer index = property instanceof Number n ? Integer.valueOf(n.intValue())
                : property instanceof String p && p.matches("-?\\d{1,9}") ? Integer.valueOf(p) : null;
        if (base instanceof String s && index != null) {
            context.setPropertyResolved(true);
            int count = s.codePointCount(0, s.length());
            int i = index < 0 ? index + count : index;
            if (i < 0 || i >= count) {
                return null; // Jinja2 yields undefined for an index out of range
            }
            int at = s.offsetByCodePoints(0, i);
            return new String(Character.toChars(s.codePointAt(at)));
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
