package dev.pgcapture.agent.setup;

import java.util.List;

/**
 * {@link CaptureSetup#init} or {@link CaptureSetup#drop} refused, before changing anything:
 * every problem it found, each with the ways out, is in {@link #problems()} and in the message.
 */
public final class SetupRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SetupRefusedException(String operation, List<String> problems) {
        super(operation + " refused and changed nothing:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each saying how to get past it. */
    public List<String> problems() {
        return problems;
    }
}
