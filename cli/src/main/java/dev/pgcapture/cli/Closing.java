package dev.pgcapture.cli;

import java.util.Deque;

/** Stops what was started, in reverse order, whatever fails along the way. */
final class Closing {

    private Closing() {
    }

    /**
     * Closes and removes every element of {@code started}, the last pushed first; the first
     * failure is thrown once all were tried, with the others suppressed in it.
     */
    static void all(Deque<AutoCloseable> started) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
