package dev.pgcapture.agent.seed;

import static dev.pgcapture.agent.seed.SourceCatalog.Check.CHANGED;
import static dev.pgcapture.agent.seed.SourceCatalog.Check.UNCHANGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The per-table retry rule, after {@code LOCK TABLE}: copy only what the snapshot can still read. */
class SourceCatalogTest {

    private static final long OID = 16400;

    @Test
    void sameFileNodeAndName_isCopied() {
        assertEquals(UNCHANGED, SourceCatalog.decide(16500, 16500L, OID, OID));
    }

    @Test
    void newFileNode_truncateOrRewriteSinceTheSnapshot_isRetried() {
        assertEquals(CHANGED, SourceCatalog.decide(16500, 16777L, OID, OID));
    }

    @Test
    void tableGone_isRetried() {
        assertEquals(CHANGED, SourceCatalog.decide(16500, null, null, OID));
    }

    @Test
    void nameNowMeansAnotherTableOrNone_renamedSinceTheSnapshot_isRetried() {
        assertEquals(CHANGED, SourceCatalog.decide(16500, 16500L, 17000L, OID));
        assertEquals(CHANGED, SourceCatalog.decide(16500, 16500L, null, OID));
    }
}
