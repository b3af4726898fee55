package io.livcloud.engine.report;

/**
 * Escapes text for the report's XHTML page and SVG chart. The page is XML, so every text that came from outside (VM
 * and site names, policy values, check details) goes through {@link #escape} — a name such as {@code <b>&"web"}
 * must show as written and must not break the page.
 */
public final class Xml {

    /** What stands in for a character XML 1.0 cannot carry at all (control characters, lone surrogates). */
    private static final char REPLACEMENT = '\uFFFD';

    private Xml() {
    }

    /**
     * The text, safe both as element content and inside a double- or single-quoted attribute value.
     */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            switch (character) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(character) && index + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(index + 1))) {
                        escaped.append(character).append(text.charAt(++index));
                    } else if (allowed(character)) {
                        escaped.append(character);
                    } else {
                        // Even as a character reference (&#1;) these make the document malformed in XML 1.0.
                        escaped.append(REPLACEMENT);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean allowed(char character) {
        if (character == '\t' || character == '\n' || character == '\r') {
            return true;
        }
        if (character < 0x20 || Character.isSurrogate(character)) {
            return false;
        }
        return character != '\uFFFE' && character != '\uFFFF';
    }
}
