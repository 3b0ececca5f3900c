package dev.pgcapture.agent.codec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How PostgreSQL's {@code col::text} relates to the type's output function (what
 * {@code format('%s', col)}, {@code SELECT col} and pgoutput's text mode print, and what the
 * codecs render). For most types the cast is the output function (an I/O conversion). Four
 * types have a cast of their own, and for them each value's {@code ::text} must be exactly this
 * documented transformation of its output (domains follow their base type). Arrays, composites
 * and ranges print their parts with the output functions, so they are {@link #OUTPUT}.
 */
enum TextCast {

    /** {@code ::text} is the output function. */
    OUTPUT {
        @Override
        boolean holds(String output, String cast) {
            return cast.equals(output);
        }
    },

    /** {@code text(boolean)}: {@code true} and {@code false} where the output prints {@code t} and {@code f}. */
    BOOL {
        @Override
        boolean holds(String output, String cast) {
            return switch (output) {
                case "t" -> cast.equals("true");
                case "f" -> cast.equals("false");
                default -> false;
            };
        }
    },

    /**
     * {@code text(inet)}: always with the prefix length, where the output omits a full-length one
     * ({@code /32} for IPv4, {@code /128} for IPv6).
     */
    INET {
        @Override
        boolean holds(String output, String cast) {
            String full = output.contains("/") ? output : output + (output.contains(":") ? "/128" : "/32");
            return cast.equals(full);
        }
    },

    /** {@code text(character)}: the trailing blanks the output pads with are removed. */
    BPCHAR {
        @Override
        boolean holds(String output, String cast) {
            int end = output.length();
            while (end > 0 && output.charAt(end - 1) == ' ') {
                end--;
            }
            return cast.equals(output.substring(0, end));
        }
    },

    /**
     * xml to text is binary-coercible: {@code ::text} is the stored text, verbatim. The output
     * function (and {@code xml_send}) prints a leading XML declaration again: without it, and
     * without the one newline after it, when it says no more than version 1.0 (and an encoding);
     * else as {@code <?xml version="V" standalone="S"?>}. The binary form does not hold the
     * original declaration, so here {@code ::text} is the one transformed.
     */
    XML {
        @Override
        boolean holds(String output, String cast) {
            return output.equals(xmlOutput(cast));
        }
    };

    private static final Pattern DECLARATION = Pattern.compile(
            "^<\\?xml\\s+version\\s*=\\s*(['\"])([^'\"]*)\\1(?:\\s+encoding\\s*=\\s*(['\"])[^'\"]*\\3)?"
                    + "(?:\\s+standalone\\s*=\\s*(['\"])(yes|no)\\4)?\\s*\\?>");

    /** Whether {@code cast}, PostgreSQL's {@code ::text} of a value, is what this rule makes of {@code output}. */
    abstract boolean holds(String output, String cast);

    /** What xml's output function prints for the stored text {@code stored}. */
    static String xmlOutput(String stored) {
        Matcher declaration = DECLARATION.matcher(stored);
        if (!declaration.find()) {
            return stored;
        }
        String version = declaration.group(2);
        String standalone = declaration.group(5);
        String rest = stored.substring(declaration.end());
        if (version.equals("1.0") && standalone == null) {
            return rest.startsWith("\n") ? rest.substring(1) : rest;
        }
        return "<?xml version=\"" + version + "\"" + (standalone == null ? "" : " standalone=\"" + standalone + "\"") + "?>" + rest;
    }
}
