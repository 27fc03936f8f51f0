package dev.chorus.tokenizer;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufMetadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** The {@link Tokenizer} for a GGUF vocabulary; dispatches to the encoder of its family. */
final class GgufTokenizer implements Tokenizer {
    private static final int SPECIAL = TokenAttr.CONTROL | TokenAttr.UNKNOWN;

    private final Vocab vocab;
    private final SpecialTokenSplitter splitter;
    private final SpmEncoder spm;
    private final BpeEncoder bpe;
    private final WordPieceEncoder wpm;
    /** Each token's bytes when special tokens are rendered (llama.cpp's token-to-piece cache). */
    private final byte[][] pieces;

    GgufTokenizer(GgufMetadata md) {
        vocab = new Vocab(md);
        splitter = new SpecialTokenSplitter(vocab);
        spm = vocab.type == VocabType.SPM ? new SpmEncoder(vocab) : null;
        wpm = vocab.type == VocabType.WPM ? new WordPieceEncoder(vocab) : null;
        if (vocab.type == VocabType.BPE) {
            String key = "tokenizer.ggml.merges";
            if (!md.contains(key)) {
                throw new ChorusException("BPE tokenizer without merges (key " + key + " is missing)");
            }
            bpe = new BpeEncoder(vocab, md.getStringArray(key), PreTokenizer.Kind.of(vocab.pre));
        } else {
            bpe = null;
        }
        pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            pieces[id] = piece(id);
        }
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        String input = Utf.wellFormed(Objects.requireNonNull(text, "text to tokenize"));
        List<Fragment> fragments = splitter.split(input, parseSpecial);
        IntList out = new IntList(Math.max(16, input.length() / 3));
        switch (vocab.type) {
            case SPM -> encodeSpm(input, fragments, addSpecial, out);
            case BPE -> {
                if (addSpecial && vocab.addBos) {
                    out.add(vocab.special(SpecialToken.BOS));
                }
                for (Fragment f : fragments) {
                    switch (f) {
                        case Fragment.Text(int start, int end) -> bpe.encode(input, start, end, out);
                        case Fragment.Special(int id) -> out.add(id);
                    }
                }
                if (addSpecial && vocab.addEos) {
                    out.add(vocab.special(SpecialToken.EOS));
                }
            }
            case WPM -> {
                if (addSpecial) {
                    int cls = vocab.special(SpecialToken.CLS) >= 0 ? vocab.special(SpecialToken.CLS)
                            : vocab.special(SpecialToken.BOS);
                    requireId(cls, "[CLS] (or BOS)");
                    out.add(cls);
                }
                for (Fragment f : fragments) {
                    switch (f) {
                        case Fragment.Text(int start, int end) -> wpm.encode(input.substring(start, end), out);
                        case Fragment.Special(int id) -> out.add(id);
                    }
                }
                if (addSpecial) {
                    requireId(vocab.special(SpecialToken.SEP), "SEP");
                    out.add(vocab.special(SpecialToken.SEP));
                }
            }
        }
        return out.toArray();
    }

    private void encodeSpm(String input, List<Fragment> fragments, boolean addSpecial, IntList out) {
        boolean previousSpecial = true; // the first text fragment gets the space prefix
        if (addSpecial && vocab.addBos) {
            out.add(vocab.special(SpecialToken.BOS));
        }
        for (Fragment f : fragments) {
            switch (f) {
                case Fragment.Text(int start, int end) -> {
                    String text = input.substring(start, end);
                    if (vocab.addSpacePrefix && previousSpecial) {
                        text = " " + text;
                    }
                    spm.encode(text.replace(' ', '\u2581'), out);
                    previousSpecial = false;
                }
                case Fragment.Special(int id) -> {
                    out.add(id);
                    previousSpecial = true;
                }
            }
        }
        if (addSpecial && vocab.addEos) {
            out.add(vocab.special(SpecialToken.EOS));
        }
    }

    private static void requireId(int id, String what) {
        if (id < 0) {
            throw new ChorusException("the vocabulary has no " + what + " token");
        }
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        boolean removeSpace = vocab.addSpacePrefix;
        for (int id : ids) {
            byte[] p = pieceBytes(id, renderSpecial);
            int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
            bytes.write(p, skip, p.length - skip);
            removeSpace = false;
        }
        byte[] text = bytes.toByteArray();
        if (vocab.cleanSpaces) {
            text = CleanSpaces.apply(text);
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    @Override
    public StreamingDecoder newStreamingDecoder(boolean renderSpecial) {
        return new StreamingDecoder() {
            private final Utf8Accumulator acc = new Utf8Accumulator();

            @Override
            public String feed(int id) {
                return acc.add(pieceBytes(id, renderSpecial));
            }

            @Override
            public String flush() {
                return acc.flush();
            }
        };
    }

    private byte[] pieceBytes(int id, boolean renderSpecial) {
        checkId(id);
        if (!renderSpecial && vocab.has(id, SPECIAL)) {
            return new byte[0];
        }
        return pieces[id];
    }

    /** llama.cpp's token_to_piece with special=true. */
    private byte[] piece(int id) {
        String text = vocab.texts[id];
        if (vocab.has(id, SPECIAL | TokenAttr.USER_DEFINED)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (vocab.has(id, TokenAttr.NORMAL)) {
            return vocab.type == VocabType.BPE ? ByteLevel.decode(text)
                    : text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        }
        if (vocab.has(id, TokenAttr.BYTE)) {
            if (vocab.type == VocabType.WPM || text.length() < 5) {
                return new byte[0];
            }
            try {
                return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                throw new ChorusException("byte token " + id + " has malformed text '" + text + "'");
            }
        }
        return new byte[0];
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new ChorusException("token id " + id + " is outside the vocabulary (size " + vocab.size() + ")");
        }
    }

    @Override
    public byte[] tokenBytes(int id) {
        checkId(id);
        return pieces[id].clone();
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return vocab.texts[id];
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bos() {
        return vocab.special(SpecialToken.BOS);
    }

    @Override
    public int eos() {
        return vocab.special(SpecialToken.EOS);
    }

    @Override
    public boolean addBos() {
        return vocab.addBos;
    }

    @Override
    public boolean addEos() {
        return vocab.addEos;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return vocab.endOfGeneration.contains(id);
    }

    @Override
    public int tokenId(String tokenText) {
        return vocab.id(tokenText);
    }
}
