package io.livcloud.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Typesafe's origins into the {@code file:line} form LivCloud reports, and takes that form apart to sort. */
final class Origins {

    /** Typesafe writes a line as {@code "<description>: 12"} or a range as {@code ": 12-14"}. */
    private static final Pattern TYPESAFE_LINE = Pattern.compile(": (\\d+)(-\\d+)?$");

    private static final Pattern LINE = Pattern.compile(":(\\d+)$");

    private Origins() {
    }

    /** {@code file:line} for a file, {@code description:line} for other sources, the description alone without a line. */
    static String describe(ConfigOrigin origin) {
        if (origin.filename() != null) {
            return origin.lineNumber() > 0 ? origin.filename() + ":" + origin.lineNumber() : origin.filename();
        }
        String description = origin.description();
        Matcher line = TYPESAFE_LINE.matcher(description);
        return line.find() ? description.substring(0, line.start()) + ":" + line.group(1) : description;
    }

    /**
     * Whether Typesafe made the origin up while merging or building a tree ({@code merge of ...},
     * {@code withValue(...)}); it then says nothing a user could act on, and the layer's own description is better.
     */
    static boolean isSynthetic(ConfigOrigin origin) {
        String description = origin.description();
        return description.startsWith("merge of ")
                || description.startsWith("withValue(")
                || description.startsWith("atPath(")
                || description.startsWith("atKey(");
    }

    /** The exception's message without the origin Typesafe starts it with: a problem carries its origin apart. */
    static String messageOf(Exception e) {
        String message = e.getMessage();
        if (e instanceof ConfigException configException && configException.origin() != null) {
            String prefix = configException.origin().description() + ": ";
            if (message.startsWith(prefix)) {
                return message.substring(prefix.length());
            }
        }
        return message;
    }

    /** The part of a {@link #describe described} origin before its line number. */
    static String file(String origin) {
        Matcher line = LINE.matcher(origin);
        return line.find() ? origin.substring(0, line.start()) : origin;
    }

    /** The line number of a {@link #describe described} origin; 0 without one. */
    static int line(String origin) {
        Matcher line = LINE.matcher(origin);
        return line.find() ? Integer.parseInt(line.group(1)) : 0;
    }
}
