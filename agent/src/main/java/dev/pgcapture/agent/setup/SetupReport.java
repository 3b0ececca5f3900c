package dev.pgcapture.agent.setup;

import java.util.List;

/**
 * What {@link CaptureSetup#init} or {@link CaptureSetup#drop} changed, one readable line per
 * action, in the order they ran. Empty when the database already was as asked: both are idempotent.
 */
public record SetupReport(List<String> actions) {

    public SetupReport {
        actions = List.copyOf(actions);
    }

    /** True when nothing had to be done. */
    public boolean nothingDone() {
        return actions.isEmpty();
    }
}
