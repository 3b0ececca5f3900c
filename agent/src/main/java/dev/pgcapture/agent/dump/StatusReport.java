package dev.pgcapture.agent.dump;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.pgcapture.agent.replica.ReplicaPosition;
import dev.pgcapture.agent.replica.ReplicaTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The report {@code Configure} returns: where the replica stands and how far behind it is.
 *
 * <p>Keys: {@code seeded} (bool); when seeded, {@code applied_lsn} ({@code X/Y}),
 * {@code applied_seq}, {@code applied_at} (ISO-8601), {@code seconds_since_apply} (now -
 * applied_at), {@code commit_time} and {@code lag_seconds} (now - the source commit time of the
 * last applied transaction; absent right after a seed), {@code seeded_lsn}; always
 * {@code tables_needing_seed} (tables rewritten on the source, as quoted names) and
 * {@code active_dumps}.
 */
final class StatusReport {

    private StatusReport() {
    }

    static Struct read(Connection c, Instant now, int activeDumps) throws SQLException {
        Struct.Builder report = Struct.newBuilder();
        Optional<ReplicaPosition> read = ReplicaPosition.read(c);
        report.putFields("seeded", Value.newBuilder().setBoolValue(read.isPresent()).build());
        read.ifPresent(position -> {
            report.putFields("applied_lsn", text(position.checkpoint().lsn().toString()));
            report.putFields("applied_seq", number(Integer.toUnsignedLong(position.checkpoint().seq())));
            report.putFields("applied_at", text(position.appliedAt().toString()));
            report.putFields("seconds_since_apply", number(seconds(position.appliedAt(), now)));
            position.commitTime().ifPresent(commit -> {
                report.putFields("commit_time", text(commit.toString()));
                report.putFields("lag_seconds", number(seconds(commit, now)));
            });
            position.seededLsn().ifPresent(lsn -> report.putFields("seeded_lsn", text(lsn.toString())));
        });
        ListValue.Builder reseed = ListValue.newBuilder();
        ReplicaTables.load(c).all().stream()
                .filter(ReplicaTables.Table::needsSeed)
                .map(t -> t.structure().name().quoted())
                .sorted()
                .forEach(name -> reseed.addValues(text(name)));
        report.putFields("tables_needing_seed", Value.newBuilder().setListValue(reseed).build());
        report.putFields("active_dumps", number(activeDumps));
        return report.build();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static Value text(String text) {
        return Value.newBuilder().setStringValue(text).build();
    }

    private static Value number(double number) {
        return Value.newBuilder().setNumberValue(number).build();
    }
}
