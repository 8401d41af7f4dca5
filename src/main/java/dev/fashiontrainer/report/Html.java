package dev.fashiontrainer.report;

/**
 * Escaping for text placed into HTML and SVG markup.
 */
public final class Html {
    private Html() {
    }

    /** @return {@code text} with {@code & < > " '} replaced by entities */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
