package dev.pgcapture.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.proto.TypeDescription;
import dev.pgcapture.proto.TypeDescription.Kind;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fixture table itself: every codec is tested with bytes PostgreSQL produced. */
class SendFixturesTest {

    private static final List<SendFixture> ALL = SendFixtures.all();

    @Test
    void everyBuiltInCodec_recordAndRecordArrayIncluded_hasAFixture() {
        Set<Integer> missing = new TreeSet<>(BuiltInTypes.codecs().keySet());
        missing.add(ArrayCodecs.RECORD_OID);
        missing.add(BuiltInTypes.RECORD_ARRAY_OID);
        ALL.forEach(f -> missing.remove(f.oid()));
        assertEquals(Set.of(), missing, "built-in type OIDs with a codec but no fixture");
    }

    @Test
    void everyKindOfUserType_hasAFixture() {
        Map<Integer, Kind> kinds = UserTypesTest.DESCRIPTIONS.stream()
                .collect(Collectors.toMap(TypeDescription::getOid, TypeDescription::getKind));
        Set<Kind> covered = ALL.stream().map(f -> kinds.get(f.oid())).filter(k -> k != null).collect(Collectors.toSet());
        assertEquals(EnumSet.of(Kind.ENUM, Kind.DOMAIN, Kind.COMPOSITE, Kind.RANGE, Kind.MULTIRANGE, Kind.ARRAY), covered);
    }

    @Test
    void everyFixture_hasItsOwnSqlAndLowerCaseHexOfWholeBytes() {
        Set<String> seen = new HashSet<>();
        for (SendFixture fixture : ALL) {
            assertTrue(seen.add(fixture.sql()), () -> "two fixtures of " + fixture.sql());
            assertTrue(fixture.hex().matches("([0-9a-f]{2})*"), () -> fixture + ": hex " + fixture.hex());
        }
    }

    @Test
    void userTypeOids_nameEveryDescribedType() {
        assertEquals(UserTypesTest.DESCRIPTIONS.stream().collect(Collectors.toMap(TypeDescription::getName, TypeDescription::getOid)),
                SendFixtures.userTypeOids());
        assertEquals(UserTypesTest.DESCRIPTIONS.size(), UserTypesTest.DESCRIPTIONS.stream()
                .map(TypeDescription::getName).collect(Collectors.toMap(Function.identity(), n -> 1)).size(), "names are unique");
    }
}
