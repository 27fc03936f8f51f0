package dev.chorus.router;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.ChorusException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A HuggingFace BERT WordPiece tokenizer read from its {@code tokenizer.json} (the kind all-MiniLM-L6-v2, BGE, E5 and
 * most BERT-style sentence encoders use), giving the same ids as the HuggingFace {@code tokenizers} library: added
 * (special) tokens are matched in the raw text first, the rest goes through {@link BertTextSplitter} and then greedy
 * longest-match-first WordPiece; a word that cannot be covered, or is longer than {@code max_input_chars_per_word},
 * becomes the unknown token. Pure Java and immutable, so thread-safe; {@code BertTokenizerTest} compares it id for id
 * with the HuggingFace library.
 */
public final class BertTokenizer {
    private final Map<String, Integer> vocab;
    private final String[] tokens;
    private final String continuingPrefix;
    private final int unkId;
    private final int maxInputCharsPerWord;
    private final BertTextSplitter splitter;
    /** Added tokens matched in the raw text, longest first (the library's leftmost-longest match). */
    private final List<Map.Entry<String, Integer>> addedTokens;
    private final int clsId;
    private final int sepId;

    private BertTokenizer(Map<String, Integer> vocab, String continuingPrefix, String unk, int maxInputCharsPerWord,
                          BertTextSplitter splitter, Map<String, Integer> added) {
        this.vocab = vocab;
        this.continuingPrefix = continuingPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.splitter = splitter;
        this.unkId = requireToken(vocab, unk);
        this.clsId = requireToken(vocab, "[CLS]");
        this.sepId = requireToken(vocab, "[SEP]");
        this.addedTokens = new ArrayList<>(added.entrySet());
        addedTokens.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed());
        int max = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.tokens = new String[max + 1];
        vocab.forEach((token, id) -> tokens[id] = token);
    }

    /**
     * Parses a HuggingFace {@code tokenizer.json}; refuses, naming the part, anything but a BERT WordPiece tokenizer.
     * The file is streamed, not read as a tree: a 30,000-entry vocabulary as a JSON tree would grow the heap by tens of
     * megabytes that a small-heap JVM keeps resident.
     */
    public static BertTokenizer fromJson(byte[] tokenizerJson) {
        Map<String, Integer> vocab = new HashMap<>(64 * 1024);
        Map<String, JsonNode> sections = new HashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        try (JsonParser p = mapper.getFactory().createParser(tokenizerJson)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("model")) {
                    ObjectNode model = mapper.createObjectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        if (key.equals("vocab") && p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String token = p.currentName();
                                p.nextToken();
                                vocab.put(token, p.getIntValue());
                            }
                        } else {
                            model.set(key, mapper.readTree(p));
                        }
                    }
                    sections.put(field, model);
                } else if (field.equals("normalizer") || field.equals("pre_tokenizer") || field.equals("added_tokens")) {
                    sections.put(field, mapper.readTree(p));
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ChorusException("tokenizer.json is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode missing = mapper.missingNode();
        JsonNode model = sections.getOrDefault("model", missing);
        require(model.path("type").asText(), "WordPiece", "model.type");
        JsonNode normalizer = sections.getOrDefault("normalizer", missing);
        require(normalizer.path("type").asText(), "BertNormalizer", "normalizer.type");
        require(sections.getOrDefault("pre_tokenizer", missing).path("type").asText(), "BertPreTokenizer",
                "pre_tokenizer.type");
        boolean lowercase = normalizer.path("lowercase").asBoolean(true);
        JsonNode strip = normalizer.path("strip_accents");
        BertTextSplitter splitter = new BertTextSplitter(normalizer.path("clean_text").asBoolean(true),
                normalizer.path("handle_chinese_chars").asBoolean(true),
                strip.isNull() || strip.isMissingNode() ? lowercase : strip.asBoolean(), lowercase);
        if (vocab.isEmpty()) {
            throw new ChorusException("tokenizer.json has no model.vocab");
        }
        Map<String, Integer> added = new HashMap<>();
        for (JsonNode t : sections.getOrDefault("added_tokens", missing)) {
            if (t.path("normalized").asBoolean(false) || t.path("single_word").asBoolean(false)
                    || t.path("lstrip").asBoolean(false) || t.path("rstrip").asBoolean(false)) {
                throw new ChorusException("tokenizer.json: added token " + t.path("content").asText()
                        + " uses normalized/single_word/lstrip/rstrip, which Chorus's BERT tokenizer does not support");
            }
            added.put(t.path("content").asText(), t.path("id").asInt());
        }
        return new BertTokenizer(vocab, model.path("continuing_subword_prefix").asText("##"),
                model.path("unk_token").asText("[UNK]"), model.path("max_input_chars_per_word").asInt(100),
                splitter, added);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    private static void require(String actual, String expected, String field) {
        if (!expected.equals(actual)) {
            throw new ChorusException("tokenizer.json: " + field + " is \"" + actual + "\"; Chorus's encoder supports "
                    + "BERT WordPiece tokenizers only (" + field + " \"" + expected + "\")");
        }
    }

    private static int requireToken(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new ChorusException("tokenizer.json: the vocabulary has no " + token + " token");
        }
        return id;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    /** The word piece of {@code id} ("##" marks a continuation), for showing what the encoder sees. */
    public String token(int id) {
        return id >= 0 && id < tokens.length && tokens[id] != null ? tokens[id] : "[" + id + "]";
    }

    /**
     * Whether the text can be cut before {@code index} without changing its tokens: before whitespace (not the control
     * characters the normalizer deletes, such as U+000B), an ASCII punctuation character or a CJK ideograph (each
     * always starts a word of its own, and none takes part in the normalizer's reordering), unless an added token
     * such as [SEP] spans the cut.
     */
    public boolean isWordBoundary(String text, int index) {
        int cp = text.codePointAt(index);
        boolean starter = (BertTextSplitter.isWhitespace(cp) && !BertTextSplitter.isControl(cp))
                || (cp < 0x80 && BertTextSplitter.isPunctuation(cp))
                || (splitter.handleChineseChars() && BertTextSplitter.isChinese(cp));
        if (!starter || Character.isLowSurrogate(text.charAt(index))) {
            return false;
        }
        for (Map.Entry<String, Integer> t : addedTokens) {
            int length = t.getKey().length();
            for (int k = 1; k < length && k <= index; k++) {
                if (text.startsWith(t.getKey(), index - k)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The ids of {@code text}, without [CLS] and [SEP]. */
    public int[] encode(String text) {
        IdBuffer out = new IdBuffer(text.length() / 3 + 8);
        int segmentStart = 0;
        for (int i = 0; i < text.length(); i++) {
            Map.Entry<String, Integer> added = addedTokenAt(text, i);
            if (added != null) {
                encodeOrdinary(text.substring(segmentStart, i), out);
                out.add(added.getValue());
                i += added.getKey().length() - 1;
                segmentStart = i + 1;
            }
        }
        encodeOrdinary(text.substring(segmentStart), out);
        return out.toArray();
    }

    private Map.Entry<String, Integer> addedTokenAt(String text, int i) {
        for (Map.Entry<String, Integer> t : addedTokens) {
            if (text.startsWith(t.getKey(), i)) {
                return t;
            }
        }
        return null;
    }

    private void encodeOrdinary(String text, IdBuffer out) {
        if (text.isEmpty()) {
            return;
        }
        List<String> words = new ArrayList<>();
        splitter.split(text, words);
        for (String word : words) {
            wordPiece(word, out);
        }
    }

    private void wordPiece(String word, IdBuffer out) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        int before = out.size();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int id = -1;
            while (end > start) {
                String piece = start == 0 ? word.substring(0, end) : continuingPrefix + word.substring(start, end);
                Integer found = vocab.get(piece);
                if (found != null) {
                    id = found;
                    break;
                }
                end = Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 > start ? end - 2 : end - 1;
            }
            if (id < 0) {
                out.truncate(before);
                out.add(unkId);
                return;
            }
            out.add(id);
            start = end;
        }
    }

    /** A growable int array (the tokenizer's only allocation per token). */
    private static final class IdBuffer {
        private int[] ids;
        private int size;

        IdBuffer(int capacity) {
            ids = new int[Math.max(8, capacity)];
        }

        void add(int id) {
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int size() {
            return size;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(ids, size);
        }
    }
}
