package dev.pgcapture.agent.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.codec.SendFixture;
import dev.pgcapture.core.codec.SendFixtures;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The codec unit tests' byte fixtures ({@link SendFixtures}) are PostgreSQL's own output: for
 * each, the live server's send function of the expression's type ({@code pg_type.typsend}:
 * {@code int4send}, {@code array_send}, {@code record_send}, {@code range_send}, ...) gives
 * exactly the fixture's bytes, and the expression is of the fixture's type.
 *
 * <p>User types get other OIDs here than in the database the fixtures were taken from; their
 * OIDs, at the top and inside the bytes (array elements, composite attributes), are compared by
 * type name.
 */
@ExtendWith(PostgresExtension.class)
class SendFixturesIT {

    @Test
    void everyCodecFixture_isWhatPostgresSendFunctionGivesForItsSql(TestDatabase db) throws Exception {
        db.execute(SendFixtures.USER_TYPES.toArray(String[]::new));
        List<SendFixture> fixtures = SendFixtures.all();
        List<String> mismatches = new ArrayList<>();
        String version;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(FidelityMatrix.SESSION);
            version = row(s, "SHOW server_version")[0];
            Map<Integer, Integer> fixtureOids = fixtureOidsOfLiveUserTypes(s);
            for (SendFixture fixture : fixtures) {
                String sql = fixture.sql();
                String live;
                int liveOid;
                try {
                    String[] type = row(s, "SELECT t.oid::bigint, t.typsend::regproc::text FROM pg_type t"
                            + " WHERE t.oid = pg_typeof(" + sql + ")");
                    liveOid = (int) Long.parseLong(type[0]);
                    live = row(s, "SELECT encode(pg_catalog." + type[1] + "(" + sql + "), 'hex')")[0];
                } catch (SQLException e) {
                    mismatches.add(fixture + ": " + e.getMessage());
                    continue;
                }
                int oid = fixtureOids.getOrDefault(liveOid, liveOid);
                if (oid != fixture.oid() || !sameButUserTypeOids(live, fixture.hex(), fixtureOids)) {
                    mismatches.add(fixture + ": PostgreSQL gives type OID " + Integer.toUnsignedString(liveOid) + ", bytes " + live
                            + "\n    the fixture says bytes " + fixture.hex());
                }
            }
        }
        System.out.printf("send fixtures: %d/%d are PostgreSQL %s's send output%n", fixtures.size() - mismatches.size(),
                fixtures.size(), version);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + fixtures.size() + " fixtures are not what PostgreSQL " + version
                + " sends:\n" + String.join("\n", mismatches));
    }

    /** This database's OIDs of the fixtures' user types, mapped to the OIDs the fixtures hold. */
    private static Map<Integer, Integer> fixtureOidsOfLiveUserTypes(Statement s) throws SQLException {
        Map<Integer, Integer> oids = new HashMap<>();
        for (Map.Entry<String, Integer> type : SendFixtures.userTypeOids().entrySet()) {
            try (ResultSet r = s.executeQuery("SELECT oid::bigint FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typname = '"
                    + type.getKey() + "'")) {
                assertTrue(r.next(), "the fixtures' type public." + type.getKey() + " exists");
                oids.put((int) r.getLong(1), type.getValue());
            }
        }
        return oids;
    }

    /**
     * Whether {@code live} and {@code fixture} are the same bytes but for user-type OIDs: where
     * they differ, they hold at the same 4-byte word a live OID and the fixture's OID of that type.
     */
    private static boolean sameButUserTypeOids(String live, String fixture, Map<Integer, Integer> fixtureOids) {
        if (live.length() != fixture.length()) {
            return false;
        }
        int i = 0;
        while (i < live.length()) {
            if (live.charAt(i) == fixture.charAt(i)) {
                i++;
                continue;
            }
            int word = -1;
            for (int start = i - i % 2; start >= Math.max(0, i - 7) && word < 0; start -= 2) {
                if (start + 8 <= live.length()
                        && Integer.valueOf(word(fixture, start)).equals(fixtureOids.get(word(live, start)))) {
                    word = start;
                }
            }
            if (word < 0) {
                return false;
            }
            i = word + 8;
        }
        return true;
    }

    private static int word(String hex, int start) {
        return (int) Long.parseLong(hex.substring(start, start + 8), 16);
    }

    /** The one row {@code sql} returns, its columns as text. */
    private static String[] row(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                throw new SQLException("no row from " + sql);
            }
            String[] columns = new String[r.getMetaData().getColumnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = r.getString(i + 1);
            }
            return columns;
        }
    }
}
