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
        for (int i = 0; i < text.length(); i++) {
            if (!firstChars.get(text.charAt(i))) {
                continue;
            }
            Node n = root;
            for (int j = i; j < text.length(); j++) {
                n = n.next.get(text.charAt(j));
                if (n == null) {
                    break;
                }
                if (n.token >= 0) {
                    found.set(n.token);
                }
            }
        }
        return found;
    }
}
