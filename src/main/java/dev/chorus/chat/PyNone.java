package dev.chorus.chat;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code None} inside templates. Jinjava uses Java null for both "undefined" and "none", but Jinja2 tells
 * them apart: None prints "None", {@code is defined} is true for it and {@code is none} false for undefined. A JSON
 * null in the messages or variables, and the literal {@code none}, become this object; null stays "undefined".
 */
final class PyNone implements PyishSerializable {
    /** The one None. (A class, not an enum: Jinjava's string conversion prints an enum's name.) */
    static final PyNone NONE = new PyNone();

    private PyNone() {
    }

    /** The context variable the literal {@code none}/{@code None} is rewritten to. */
    static final String VARIABLE = "chorus_none";

    @Override
    public String toString() {
        return "None";
    }

    /** How Jinjava's own string conversions (e.g. the {@code ~} operator) print it. */
    @Override
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
        appendable.append("None");
        return appendable;
    }

    /** A copy of JSON-like data (Maps, Lists, scalars) with every null replaced by {@link #NONE}. */
    static Object fromJson(Object value) {
        if (value == null) {
            return NONE;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            map.forEach((k, v) -> out.put(k, fromJson(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(fromJson(v)));
            return out;
        }
        return value;
    }
}
