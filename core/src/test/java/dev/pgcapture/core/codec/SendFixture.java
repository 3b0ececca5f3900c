package dev.pgcapture.core.codec;

import java.util.Objects;

/**
 * One byte fixture of the codec tests: an SQL expression, the OID of its type and the hex of what
 * PostgreSQL's send function produced for it. Public so that an integration test can derive every
 * fixture's hex again from a live PostgreSQL and so prove that the fixtures are PostgreSQL's output.
 *
 * @param sql an SQL expression of the value, cast to its type; it may end with a comment saying
 *     what the fixture shows
 * @param oid the type's OID; for the user types of {@link SendFixtures#USER_TYPES}, the OID the
 *     database the fixture was taken from had assigned (see {@link SendFixtures#userTypeOids()})
 * @param hex the binary form, lower-case hex; the OIDs of user types inside it (array elements,
 *     composite attributes) are those of that database too
 */
public record SendFixture(String sql, int oid, String hex) {

    public SendFixture {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(hex, "hex");
    }

    @Override
    public String toString() {
        return sql + " (OID " + Integer.toUnsignedString(oid) + ")";
    }
}
