package dev.pgcapture.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Drops the replication slots of a run, ending their readers first: a peer that was stopped
 * (Debezium's engine especially) may leave its walsender running for a moment, and an active
 * slot can be neither dropped nor its database.
 */
final class Slots {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Slots() {
    }

    static void drop(Connection admin, List<String> slots) throws SQLException {
        String[] names = slots.toArray(String[]::new);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (PreparedStatement terminate = admin.prepareStatement(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ANY (?) AND active_pid IS NOT NULL");
             PreparedStatement drop = admin.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ANY (?) AND NOT active");
             PreparedStatement left = admin.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ANY (?)")) {
            java.sql.Array array = admin.createArrayOf("text", names);
            terminate.setArray(1, array);
            drop.setArray(1, array);
            left.setArray(1, array);
            while (true) {
                terminate.execute();
                drop.execute();
                try (ResultSet r = left.executeQuery()) {
                    r.next();
                    if (r.getInt(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replication slots " + slots + " still in use after " + WAIT);
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }
}
