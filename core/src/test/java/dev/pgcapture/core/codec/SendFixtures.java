package dev.pgcapture.core.codec;

import dev.pgcapture.proto.TypeDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every byte fixture of the codec tests in one list, for the tests that check the fixtures
 * themselves: that every codec has one ({@code SendFixturesTest}), and that each is exactly what
 * a live PostgreSQL's send function gives for its SQL (an integration test of the agent module,
 * which runs PostgreSQL).
 */
public final class SendFixtures {

    /** The user types the fixtures of user types use; run in this order in a database of their own. */
    public static final List<String> USER_TYPES = UserTypesTest.CREATE_TYPES;

    private SendFixtures() {
    }

    /** Every fixture, built-in types and user types. */
    public static List<SendFixture> all() {
        return Stream.of(NumberCodecsTest.postgresValues(), TextCodecsTest.postgresValues(), DateTimeCodecsTest.postgresValues(),
                        IntervalTest.postgresValues(), NetworkCodecsTest.postgresValues(), GeometryCodecsTest.postgresValues(),
                        RangeCodecsTest.postgresValues(), ArrayCodecsTest.postgresValues(), ArrayCodecsTest.everyOtherArrayType(),
                        UserTypesTest.anonymousRecords(), UserTypesTest.postgresValues())
                .flatMap(s -> s)
                .map(SendFixtures::fixture)
                .toList();
    }

    /**
     * The OIDs the database the user-type fixtures were taken from had given the types of
     * {@link #USER_TYPES} and their array and multirange types, by type name (schema public). A
     * fresh database assigns others: map them by name.
     */
    public static Map<String, Integer> userTypeOids() {
        Map<String, Integer> oids = new LinkedHashMap<>();
        for (TypeDescription type : UserTypesTest.DESCRIPTIONS) {
            oids.put(type.getName(), type.getOid());
        }
        return oids;
    }

    /** The fixture of arguments that start with (sql, oid, hex), as every fixture source gives them. */
    private static SendFixture fixture(Arguments arguments) {
        Object[] a = arguments.get();
        return new SendFixture((String) a[0], (Integer) a[1], (String) a[2]);
    }
}
