package dev.chorus.tokenizer;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/** A character trie over special-token texts, to find in one pass which of them occur in a text. */
final class TokenTrie {
    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        /** Index of the token ending here (in the caller's numbering), or -1. */
        int token = -1;
    }

    private static final int FEW_FIRST_CHARS = 4;

    private final Node root = new Node();
    /** First characters of all tokens, for a quick reject of most text positions. */
    private final BitSet firstChars = new BitSet(1 << 16);
    private boolean empty = true;

    void add(String text, int token) {
        if (text.isEmpty()) {
            return;
        }
        Node n = root;
        for (int i = 0; i < text.length(); i++) {
            n = n.next.computeIfAbsent(text.charAt(i), c -> new Node());
        }
        n.token = token;
        firstChars.set(text.charAt(0));
        empty = false;
    }

    /** The tokens that occur somewhere in the text, as a set of the indices given to {@link #add}. */
    BitSet occurring(String text) {
        BitSet found = new BitSet();
        if (empty) {
            return found;
        }
        if (firstChars.cardinality() <= FEW_FIRST_CHARS) {
            // typical (e.g. every Llama 3 special token starts with '<'): let indexOf's vector search skip ahead
            for (int c = firstChars.nextSetBit(0); c >= 0; c = firstChars.nextSetBit(c + 1)) {
                for (int i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) {
                    walk(text, i, found);
                }
            }
        } else {
            for (int i = 0; i < text.length(); i++) {
                if (firstChars.get(text.charAt(i))) {
                    walk(text, i, found);
                }
            }
        }
        return found;
    }

    private void walk(String text, int from, BitSet found) {
        Node n = root;
        for (int j = from; j < text.length(); j++) {
            n = n.next.get(text.charAt(j));
            if (n == null) {
                return;
            }
            if (n.token >= 0) {
                found.set(n.token);
            }
        }
    }
}
