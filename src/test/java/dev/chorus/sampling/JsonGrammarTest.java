package dev.chorus.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class JsonGrammarTest {
    private static final java.util.regex.Pattern BLANK_LINES = java.util.regex.Pattern.compile("\n[ \t]*\n|^\\s{2}");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Whether the grammar takes all of the text and ends with a complete object. */
    private static boolean completeObject(String text) {
        JsonGrammar g = new JsonGrammar();
        return g.accept(text.getBytes(StandardCharsets.UTF_8)) && g.complete();
    }

    /** Whether the grammar takes all of the text (a complete object or the start of one). */
    private static boolean validPrefix(String text) {
        return new JsonGrammar().accept(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean jacksonObject(String text) {
        try {
            JsonNode node = STRICT.readTree(text);
            return node != null && node.isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " {\"a\": 1}\n", "{\"a\":[1,-2.5e+3,0,true,false,null,\"x\\\"y\\u00e9\\n\"],\"b\":{}}",
            "{\"k\":\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00\"}", "{\"a\":[[],[{}],[[[]]]], \"e\": -0.0E-0}"})
    void acceptsObjects(String text) {
        assertThat(completeObject(text)).isTrue();
        for (int i = 1; i < text.length(); i++) {
            String prefix = text.substring(0, i);
            assertThat(validPrefix(prefix)).as(prefix).isTrue();
            assertThat(completeObject(prefix) && !text.substring(i).isBlank()).as(prefix).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "1", "\"s\"", "{,}", "{\"a\":1,}", "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}",
            "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\tin string\"}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\" 1}",
            "{\"a\":[1 2]}", "{\"a\":[1,]}", "{\"a\":NaN}", "{\"a\":1]"})
    void refusesWhatIsNotOneObject(String text) {
        assertThat(completeObject(text)).isFalse();
        assertThat(jacksonObject(text)).as("Jackson agrees").isFalse();
    }

    @Test
    void refusesInvalidUtf8InStrings() {
        byte[][] bad = {{'{', '"', (byte) 0xc3, '"'}, {'{', '"', (byte) 0x80}, {'{', '"', (byte) 0xff},
                {'{', '"', (byte) 0xe4, (byte) 0xb8, 'x'}};
        for (byte[] b : bad) {
            assertThat(new JsonGrammar().accept(b)).isFalse();
        }
    }

    @Test
    void limitsWhitespaceRunsAndDepth() {
        assertThat(validPrefix("{" + " ".repeat(JsonGrammar.MAX_WHITESPACE))).isTrue();
        assertThat(validPrefix("{" + " ".repeat(JsonGrammar.MAX_WHITESPACE + 1))).isFalse();
        assertThat(validPrefix("{\n    \"a\":\n 1,\n  \"b\": 2\n}")).as("one line break per run").isTrue();
        assertThat(validPrefix("{\n\n")).isFalse();
        assertThat(validPrefix("{ \n \n")).isFalse();
        assertThat(validPrefix(" {")).isTrue();
        assertThat(validPrefix("  {")).as("one byte before the object at most").isFalse();
        assertThat(validPrefix("\n\n{")).isFalse();
        assertThat(validPrefix("{\"a\":" + "[".repeat(JsonGrammar.MAX_DEPTH - 1))).isTrue();
        assertThat(validPrefix("{\"a\":" + "[".repeat(JsonGrammar.MAX_DEPTH))).isFalse();
    }

    @Test
    void aCopyContinuesIndependently() {
        JsonGrammar a = new JsonGrammar();
        a.accept("{\"a\":[{\"b\":".getBytes(StandardCharsets.UTF_8));
        JsonGrammar b = new JsonGrammar();
        b.copyFrom(a);
        assertThat(b.accept("1}]}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(b.complete()).isTrue();
        assertThat(a.complete()).isFalse();
        assertThat(a.accept("\"x\"}]}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(a.complete()).isTrue();
    }

    /**
     * Random objects (Jackson writes them, compact and pretty) and one-character mutations of them: the grammar's
     * verdict on each text equals Jackson's strict parse as a single object.
     */
    @Test
    void agreesWithJacksonOnRandomDocumentsAndTheirMutations() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "{}[]\":,-+.0123456789eEtrufalsn \n\\/bu";
        int valid = 0;
        int invalid = 0;
        for (int doc = 0; doc < 400; doc++) {
            ObjectNode root = randomObject(random, 0);
            String text = random.nextBoolean() ? STRICT.writeValueAsString(root)
                    : STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            assertThat(completeObject(text)).as(text).isTrue();
            for (int m = 0; m < 20; m++) {
                StringBuilder mutated = new StringBuilder(text);
                int at = random.nextInt(mutated.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> mutated.deleteCharAt(at);
                    case 1 -> mutated.insert(at, c);
                    default -> mutated.setCharAt(at, c);
                }
                String s = mutated.toString();
                boolean expected = jacksonObject(s);
                if (expected && BLANK_LINES.matcher(s).find()) {
                    // valid JSON the grammar refuses on purpose: two line breaks in one whitespace run
                    assertThat(completeObject(s)).as(s).isFalse();
                    continue;
                }
                assertThat(completeObject(s)).as(s).isEqualTo(expected);
                if (expected) {
                    valid++;
                } else {
                    invalid++;
                }
            }
        }
        assertThat(valid).as("mutations that stay valid").isGreaterThan(100);
        assertThat(invalid).as("mutations that break the object").isGreaterThan(1000);
    }

    private static ObjectNode randomObject(SplittableRandom random, int depth) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(depth == 0 ? 1 : 0, 4);
        for (int i = 0; i < fields; i++) {
            String key = randomString(random);
            switch (random.nextInt(depth < 3 ? 7 : 5)) {
                case 0 -> node.put(key, random.nextInt(-1000, 1000));
                case 1 -> node.put(key, random.nextDouble() * 1e6 - 5e5);
                case 2 -> node.put(key, randomString(random));
                case 3 -> node.put(key, random.nextBoolean());
                case 4 -> node.putNull(key);
                case 5 -> node.set(key, randomObject(random, depth + 1));
                default -> {
                    ArrayNode array = node.putArray(key);
                    for (int j = random.nextInt(4); j > 0; j--) {
                        array.add(random.nextBoolean() ? randomObject(random, depth + 1)
                                : JsonNodeFactory.instance.numberNode(random.nextLong()));
                    }
                }
            }
        }
        return node;
    }

    private static String randomString(SplittableRandom random) {
        String chars = "ab z\"\\/\n\t\u00e9\u4e2d\ud83d\ude00";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            int at = random.nextInt(chars.length() - 1);
            char c = chars.charAt(at);
            if (Character.isHighSurrogate(c)) {
                s.append(c).append(chars.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
