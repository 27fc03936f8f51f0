package dev.chorus.tokenizer;

import java.util.Arrays;

/**
 * llama.cpp's clean_up_tokenization_spaces pass over detokenized bytes: drops the space before ? ! . , and
 * before 's 'm 're 've, and the spaces around a lone apostrophe.
 */
final class CleanSpaces {
    private CleanSpaces() {
    }

    static byte[] apply(byte[] input) {
        byte[] t = input.clone();
        int total = t.length;
        // first pass: " ?", " !", " .", " ,"
        int n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                total--;
            }
            t[total++] = x;
        }
        // second pass: " ' " becomes "'"
        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (x == '\'' && i + 1 < n && t[i - 1] == ' ' && t[i + 1] == ' ') {
                total--;
                t[++i] = 0;
            }
            t[total++] = x;
        }
        // third pass: " 's", " 'm", " 're", " 've"
        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < n) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < n) {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        total--;
                    }
                }
            }
            t[total++] = x;
        }
        return Arrays.copyOf(t, total);
    }
}
