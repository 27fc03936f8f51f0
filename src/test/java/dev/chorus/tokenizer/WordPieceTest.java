package dev.chorus.tokenizer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** BERT (bge) WordPiece: [CLS]/[SEP] with addSpecial, none without (the conformance test covers the ids). */
class WordPieceTest {
    @Test
    void addsClsAndSepOnlyWhenAsked() {
        Tokenizer bert = VocabCases.tokenizer("bert-bge");
        int[] plain = bert.encode("Hello world", false, false);
        int[] special = bert.encode("Hello world", true, false);
        assertThat(special).hasSize(plain.length + 2);
        assertThat(special[0]).isEqualTo(bert.tokenId("[CLS]"));
        assertThat(special[special.length - 1]).isEqualTo(bert.tokenId("[SEP]"));
        // word-start pieces carry U+2581, which detokenizes to a space (llama.cpp keeps it: no space prefix to drop)
        assertThat(bert.decode(plain)).isEqualTo(" hello world");
    }
}
