package dev.pgcapture.core.codec;

import java.nio.ByteBuffer;

/**
 * Reads {@code tsvectorsend}'s form into {@code tsvector}'s text form: a lexeme count, then per
 * lexeme its text (NUL-terminated), a position count and the positions (14 bits of position, 2
 * of weight: 3 is A, 2 B, 1 C, 0 D, which prints nothing). The text is
 * {@code 'lexeme':1A,2 'other'}, quotes and backslashes inside a lexeme doubled.
 */
final class TsVectorText {

    private static final char[] WEIGHTS = {0, 'C', 'B', 'A'};

    private TsVectorText() {
    }

    static String read(ByteBuffer in) {
        int count = Bytes.count(in, 3, "tsvector lexeme");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int start = in.position();
            int end = start;
            while (in.get(end) != 0) {
                end++;
            }
            String lexeme = Bytes.utf8(in.slice(start, end - start));
            in.position(end + 1);
            if (i > 0) {
                out.append(' ');
            }
            out.append('\'');
            for (int c = 0; c < lexeme.length(); c++) {
                char ch = lexeme.charAt(c);
                if (ch == '\'' || ch == '\\') {
                    out.append(ch);
                }
                out.append(ch);
            }
            out.append('\'');
            int positions = in.getShort() & 0xFFFF;
            for (int p = 0; p < positions; p++) {
                int position = in.getShort() & 0xFFFF;
                out.append(p == 0 ? ':' : ',').append(position & 0x3FFF);
                char weight = WEIGHTS[position >>> 14];
                if (weight != 0) {
                    out.append(weight);
                }
            }
        }
        return out.toString();
    }
}
