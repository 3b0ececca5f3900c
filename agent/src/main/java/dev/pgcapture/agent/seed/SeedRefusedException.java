package dev.pgcapture.agent.seed;

/**
 * {@code seed} refused to start, or could not go on, for a reason the user must act on: the
 * replica already holds a checkpoint, a table is missing or already seeded, the source is not
 * initialised, or slot creation waited too long for running transactions. The message says
 * what is wrong and the way out.
 */
public final class SeedRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SeedRefusedException(String message) {
        super(message);
    }
}
