package dev.pgcapture.consumer;

import dev.pgcapture.core.codec.PgCodecs;

/**
 * Turns a value as {@link PgCodecs} decoded it into the Java type of one model member (or of
 * an element or attribute inside one). Chosen once per member, by the member's declared type,
 * when the model is validated; the value's class decides at bind time.
 */
@FunctionalInterface
interface Converter {

    /**
     * The value as the member's type holds it.
     *
     * @param value the decoded value, never {@code null}
     * @param oid the value's type OID at the source (for its text form and for messages)
     * @param codecs the codecs the value was decoded with
     * @throws Mismatch when the value does not bind to the member's type
     */
    Object convert(Object value, int oid, PgCodecs codecs) throws Mismatch;

    /**
     * Why a value does not bind. Raised without the member's name; the binding of the member
     * adds it ({@link #labelled}), and an array or composite around the value says where in it
     * the value was ({@link #within}). Carries no stack trace: it is an answer, not a bug.
     */
    final class Mismatch extends Exception {

        private final String text;
        private final String hint;
        private final boolean labelled;

        /**
         * @param what what does not fit what, e.g. {@code text value (java.lang.String) does not bind to int}
         * @param hint what to declare instead, or {@code null}
         */
        Mismatch(String what, String hint) {
            this(what, hint, false);
        }

        private Mismatch(String text, String hint, boolean labelled) {
            super(text, null, false, false);
            this.text = text;
            this.hint = hint;
            this.labelled = labelled;
        }

        /** This mismatch naming the member it happened in, unless an inner member is named already. */
        Mismatch labelled(String member) {
            return labelled ? this : new Mismatch(text + " (" + member + ")" + (hint == null ? "" : "; " + hint), null, true);
        }

        /** This mismatch, said to be at {@code where} (an element or an attribute). */
        Mismatch within(String where) {
            return new Mismatch(where + ": " + text, hint, labelled);
        }

        /** The whole reason, for a {@link DecodeError}. */
        String reason() {
            return hint == null || labelled ? text : text + "; " + hint;
        }
    }
}
