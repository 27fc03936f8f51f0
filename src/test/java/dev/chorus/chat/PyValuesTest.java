package dev.chorus.chat;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected strings are what CPython 3 prints for the same values. */
class PyValuesTest {
    @Test
    void floatsPrintLikePythonRepr() {
        assertThat(PyValues.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PyValues.floatRepr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyValues.floatRepr(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PyValues.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PyValues.floatRepr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PyValues.floatRepr(-2.0)).isEqualTo("-2.0");
        assertThat(PyValues.floatRepr(123456789.125)).isEqualTo("123456789.125");
    }

    @Test
    void jsonDumpsLikePython() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(1, 2.5, true));
        m.put("a", null);
        m.put("s", "é\u0001\"\\/<>");
        assertThat(PyJson.dumps(m, null)).isEqualTo("{\"z\": [1, 2.5, true], \"a\": null, \"s\": \"é\\u0001\\\"\\\\/<>\"}");
        assertThat(PyJson.dumps(List.of(Map.of(), List.of()), 2)).isEqualTo("[\n  {},\n  []\n]");
    }

    @Test
    void stringHelpersFollowPython() {
        assertThat(PyStrings.split("a</t>", "</t>", -1)).containsExactly("a", "");
        assertThat(PyStrings.split("  a  b ", null, -1)).containsExactly("a", "b");
        assertThat(PyStrings.split("a b c", null, 1)).containsExactly("a", "b c");
        assertThat(PyStrings.strip("\u00a0 x\t\n", null)).isEqualTo("x");
        assertThat(PyStrings.title("hello wORLD o'neil")).isEqualTo("Hello World O'Neil");
        assertThat(PyStrings.unescapeLiteral("a\\nb\\x41\\u00e9\\q")).isEqualTo("a\nbAé\\q");
        assertThat(PyStrings.repr("it's")).isEqualTo("\"it's\"");
    }
}
