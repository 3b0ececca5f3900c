package dev.pgcapture.agent;

import static dev.pgcapture.agent.CaptureFixture.ddlText;
import static dev.pgcapture.agent.CaptureFixture.field;
import static dev.pgcapture.agent.CaptureFixture.isDdlEvent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.agent.CaptureFixture.Transaction;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Change.Operation;
import dev.pgcapture.testkit.PostgresExtension;
import dev.pgcapture.testkit.PulsarExtension;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DDL events in the topic: inside their transaction, in place, and impossible to forge. */
@ExtendWith({PostgresExtension.class, PulsarExtension.class})
class Pg2PulsarDdlIT {

    @Test
    void ddl_arrivesInsideItsTransaction_beforeTheRowsThatDependOnIt(TestDatabase db, TestPulsar pulsar) throws Exception {
        db.execute("CREATE TABLE items (id int PRIMARY KEY)");
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar); Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE items ADD COLUMN label text NOT NULL DEFAULT 'none'");
                s.execute("INSERT INTO items VALUES (1, 'first')");
            }
            c.commit();

            Transaction transaction = capture.nextTransaction();

            assertEquals(List.of(true, false), transaction.changes().stream().map(CaptureFixture::isDdlEvent).toList(),
                    "the DDL event, then the row that needs its column");
            Change event = transaction.changes().getFirst();
            assertEquals(Operation.INSERT, event.getOp());
            assertEquals("ddl_command_end", ddlText(event, "event"));
            assertTrue(ddlText(event, "tables").contains("\"label\""), "the structure names the new column: " + ddlText(event, "tables"));
            assertEquals("first", field(transaction.changes().get(1).getNewList(), "label").getBinary().toStringUtf8());
        }
    }

    @Test
    void multiStatementString_andDoBlock_eachArriveAsOneTransactionWithTheDdlFirst(TestDatabase db, TestPulsar pulsar) throws Exception {
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            String multi = "CREATE TABLE multi (id int PRIMARY KEY); INSERT INTO multi VALUES (1)";
            String block = "DO $$ BEGIN CREATE TABLE in_block (id int PRIMARY KEY); INSERT INTO in_block VALUES (7); END $$";
            // The simple query protocol sends the string as psql does: one query, one implicit transaction.
            try (Connection simple = DriverManager.getConnection(db.jdbcUrl() + "&preferQueryMode=simple");
                 Statement s = simple.createStatement()) {
                s.execute(multi);
                s.execute(block);
            }

            List<Transaction> transactions = capture.nextTransactions(2);

            assertDdlThenRow(transactions.get(0), multi, "multi");
            assertDdlThenRow(transactions.get(1), block, "in_block");
        }
    }

    @Test
    void createTableAs_rowsArriveBeforeTheirDdlEvent_inTheSameTransaction(TestDatabase db, TestPulsar pulsar) throws Exception {
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar)) {
            db.execute("CREATE TABLE copied AS SELECT g AS id FROM generate_series(1, 3) g");

            Transaction transaction = capture.nextTransaction();

            assertEquals(List.of(false, false, false, true), transaction.changes().stream().map(CaptureFixture::isDdlEvent).toList(),
                    "PostgreSQL logs the rows of CREATE TABLE AS before the command ends");
            assertEquals("copied", transaction.changes().getFirst().getTable());
            assertTrue(ddlText(transaction.changes().getLast(), "tags").contains("CREATE TABLE AS"));
        }
    }

    @Test
    void ddlOfAnUnprivilegedRole_isCaptured_whileThatRoleCannotWriteOrForgeADdlEvent(TestDatabase db, TestPulsar pulsar) throws Exception {
        String role = db.uniqueName("app");
        db.execute("CREATE ROLE " + role + " LOGIN", "GRANT CREATE, USAGE ON SCHEMA public TO " + role);
        try (CaptureFixture capture = CaptureFixture.start(db, pulsar);
             Connection app = DriverManager.getConnection(db.endpoint().jdbcUrl(db.name()).replace("user=postgres", "user=" + role))) {
            try (Statement s = app.createStatement()) {
                s.execute("CREATE TABLE app_table (id int PRIMARY KEY)");
                SQLException insert = assertThrows(SQLException.class, () -> s.execute(
                        "INSERT INTO pgcapture.ddl_logs (event, tags, query) VALUES ('ddl_command_end', '{DROP TABLE}', 'forged')"));
                assertTrue(insert.getMessage().contains("permission denied"), insert.getMessage());
                SQLException emit = assertThrows(SQLException.class, () -> s.execute("SELECT pgcapture.log_ddl()"));
                assertTrue(emit.getMessage().contains("permission denied") || emit.getMessage().contains("trigger"), emit.getMessage());
            }
            db.execute("INSERT INTO app_table VALUES (1)");

            List<Transaction> transactions = capture.nextTransactions(2);

            Change event = transactions.get(0).ddlEvents().getFirst();
            assertEquals(role, ddlText(event, "role_name"));
            assertTrue(ddlText(event, "query").contains("CREATE TABLE app_table"));
            assertTrue(transactions.stream().flatMap(t -> t.changes().stream()).filter(CaptureFixture::isDdlEvent)
                    .noneMatch(c -> ddlText(c, "query").equals("forged")), "nothing forged reached the topic");
            assertArrayEquals(new byte[] {0, 0, 0, 1}, field(transactions.get(1).rowChanges().getFirst().getNewList(), "id")
                    .getBinary().toByteArray());
        }
    }

    private static void assertDdlThenRow(Transaction transaction, String statement, String table) {
        List<Change> changes = transaction.changes();
        assertEquals(2, changes.size(), "one DDL event and one row: " + changes);
        assertTrue(isDdlEvent(changes.get(0)), "the DDL event first");
        assertEquals(statement, ddlText(changes.get(0), "query"), "the statement text as the client sent it");
        assertEquals(table, changes.get(1).getTable());
    }
}
