package dev.chorus.chat;

/**
 * markupsafe's Markup, produced by {@code |safe}: text already "safe", so Python escapes the plain strings joined to
 * it with {@code +} or {@code ~} (HTML entities). Chat templates meet this by accident — Functionary's
 * {@code "Use the function '"|safe + name + ...} — and transformers' output carries the escaping, so it is kept.
 */
record PyMarkup(String text) {
    static PyMarkup join(Object left, Object right) {
        return new PyMarkup(escaped(left) + escaped(right));
    }

    private static String escaped(Object value) {
        if (value instanceof PyMarkup m) {
            return m.text;
        }
        String s = PyValues.str(value);
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&#34;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
