package dev.pgcapture.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcapture.agent.CaptureFixture.Transaction;
import dev.pgcapture.agent.replica.ApplyException;
import dev.pgcapture.agent.replica.DdlApplier;
import dev.pgcapture.agent.replica.DumpInterlock;
import dev.pgcapture.agent.replica.ReplicaCatalog;
import dev.pgcapture.agent.replica.ReplicaSchema;
import dev.pgcapture.agent.replica.ReplicaTables;
import dev.pgcapture.agent.replica.StructureSql;
import dev.pgcapture.agent.replica.TableStructure;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.testkit.TestDatabase;
import dev.pgcapture.testkit.TestPulsar;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A source captured by pg2pulsar and a replica that only {@link DdlApplier} changes: DDL runs on
 * the source, its transactions are read back from the topic and their {@code ddl_logs} INSERTs
 * are applied to the replica, one replica transaction per source transaction. The replica starts
 * with the source's tables as they were before capture, made with {@link StructureSql} and
 * recorded in {@link ReplicaTables}, as a seed would.
 */
final class DdlReplica implements AutoCloseable {

    /** Inserted after each step on the source: the transaction that carries it ends the step. */
    private static final String MARKER = "ddl_step_marker";

    /** An interlock that records which replica tables the applier asked to lock. */
    static final class RecordingInterlock implements DumpInterlock {
        final List<List<TableName>> calls = new ArrayList<>();
        int released;

        @Override
        public void beforeExclusive(Collection<TableName> tables) {
            calls.add(List.copyOf(tables));
        }

        @Override
        public void released() {
            released++;
        }
    }

    /** A column as both sides can be compared: everything but OIDs and attnums. */
    record ColumnShape(String name, String typeSchema, String typeName, String typeSql, boolean notNull, String defaultExpr,
            Integer primaryKeyPosition, String identity, String generated, boolean binarySendable) {
    }

    /** A table as both sides can be compared. */
    record TableShape(String relkind, List<ColumnShape> columns) {

        static TableShape of(TableStructure t) {
            return new TableShape(t.relkind(), t.columns().values().stream()
                    .map(c -> new ColumnShape(c.name(), c.typeSchema(), c.typeName(), c.typeSql(), c.notNull(), c.defaultExpr(),
                            c.primaryKeyPosition(), c.identity(), c.generated(), c.binarySendable()))
                    .toList());
        }
    }

    private final TestDatabase source;
    private final CaptureFixture capture;
    private final Connection replica;
    final RecordingInterlock interlock = new RecordingInterlock();
    private ReplicaTables tables;
    private DdlApplier applier;
    private int steps;

    private DdlReplica(TestDatabase source, CaptureFixture capture, Connection replica) throws SQLException {
        this.source = source;
        this.capture = capture;
        this.replica = replica;
        reload();
    }

    /** Starts capture of {@code source} and gives {@code replica} the source's current tables. */
    static DdlReplica start(TestDatabase source, TestDatabase replica, TestPulsar pulsar) throws Exception {
        source.execute("CREATE TABLE " + MARKER + " (step int PRIMARY KEY)");
        CaptureFixture capture = CaptureFixture.start(source, pulsar);
        Connection c = replica.connect();
        try {
            ReplicaSchema.ensure(c);
            c.setAutoCommit(false);
            ReplicaTables tables = ReplicaTables.load(c);
            try (Connection sc = source.connect(); Statement s = c.createStatement()) {
                for (TableStructure table : sourceTables(sc).values()) {
                    s.execute(StructureSql.createSchema(table.schema()));
                    for (String sql : StructureSql.createTable(table)) {
                        s.execute(sql);
                    }
                    tables.put(c, new ReplicaTables.Table(table, Lsn.ZERO, false));
                }
            }
            c.commit();
            return new DdlReplica(source, capture, c);
        } catch (Exception e) {
            c.close();
            capture.close();
            throw e;
        }
    }

    private static Map<Long, TableStructure> sourceTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("""
                        SELECT pgcapture.table_structure(coalesce(array_agg(c.oid), '{}'))::text
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p') AND c.relname <> '%s'
                          AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgcapture')
                          AND n.nspname NOT LIKE 'pg\\_%%'""".formatted(MARKER))) {
            r.next();
            return TableStructure.parseAll(r.getString(1));
        }
    }

    private Map<Long, TableStructure> sourceTables() throws SQLException {
        try (Connection c = source.connect()) {
            return sourceTables(c);
        }
    }

    /**
     * Runs {@code statements} on the source, each in its own autocommit transaction, then applies
     * the DDL events of every transaction up to the step's marker. Returns the applied events as
     * {@code event} texts, in order.
     */
    List<String> run(String... statements) throws Exception {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            return finishStep(s);
        }
    }

    /** Sends {@code query} as one simple-protocol query string, as psql does, then applies as {@link #run} does. */
    List<String> runSimpleQuery(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(source.jdbcUrl() + "&preferQueryMode=simple");
                Statement s = c.createStatement()) {
            s.execute(query);
            return finishStep(s);
        }
    }

    private List<String> finishStep(Statement s) throws Exception {
        int step = ++steps;
        s.execute("INSERT INTO " + MARKER + " VALUES (" + step + ")");
        List<String> applied = new ArrayList<>();
        while (true) {
            Transaction transaction = capture.nextTransaction();
            apply(transaction);
            transaction.ddlEvents().forEach(e -> applied.add(CaptureFixture.ddlText(e, "event")));
            if (transaction.rowChanges().stream().anyMatch(change -> change.getTable().equals(MARKER))) {
                return applied;
            }
        }
    }

    private void apply(Transaction transaction) throws Exception {
        if (transaction.ddlEvents().isEmpty()) {
            return;
        }
        Lsn commitLsn = new Lsn(transaction.commit().message().getCommit().getCommitLsn());
        try {
            for (Change event : transaction.ddlEvents()) {
                applier.apply(replica, event, commitLsn);
            }
            replica.commit();
        } catch (ApplyException | SQLException | RuntimeException e) {
            replica.rollback();
            reload();
            throw e;
        } finally {
            interlock.released();
        }
    }

    private void reload() throws SQLException {
        tables = ReplicaTables.load(replica);
        replica.commit();
        applier = new DdlApplier(tables, interlock);
    }

    /** The registry's entry for the source table now called {@code name}. */
    ReplicaTables.Table registered(TableName name) {
        return tables.byName(name).orElseThrow(() -> new AssertionError("the registry has no table " + name));
    }

    /** The registry as a fresh load from the replica reads it (what a restarted applier would see). */
    ReplicaTables reloadedRegistry() throws SQLException {
        ReplicaTables loaded = ReplicaTables.load(replica);
        replica.commit();
        return loaded;
    }

    Connection replica() {
        return replica;
    }

    TestDatabase source() {
        return source;
    }

    /**
     * Asserts that the replica holds exactly the source's tables, each with the source's
     * structure (as its own catalog shows it, OIDs and attnums aside), and that the registry
     * holds each source table's structure exactly, by source OID.
     */
    void assertReplicaMatchesSource() throws SQLException {
        Map<Long, TableStructure> sourceTables = sourceTables();
        Map<TableName, TableShape> expected = new TreeMap<>(java.util.Comparator.comparing(TableName::quoted));
        for (TableStructure table : sourceTables.values()) {
            expected.put(table.name(), TableShape.of(table));
        }
        Map<TableName, TableShape> actual = new TreeMap<>(java.util.Comparator.comparing(TableName::quoted));
        for (TableName name : replicaTableNames()) {
            actual.put(name, TableShape.of(ReplicaCatalog.table(replica, name).orElseThrow()));
        }
        replica.commit();
        assertEquals(expected, actual, "the replica's tables and their structure");
        Map<Long, TableStructure> registered = new TreeMap<>();
        tables.all().forEach(t -> registered.put(t.structure().oid(), t.structure()));
        assertEquals(new TreeMap<>(sourceTables), registered, "the registry holds each source table's structure by source OID");
    }

    private List<TableName> replicaTableNames() throws SQLException {
        List<TableName> names = new ArrayList<>();
        try (Statement s = replica.createStatement();
                ResultSet r = s.executeQuery("""
                        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgcapture')
                          AND n.nspname NOT LIKE 'pg\\_%'""")) {
            while (r.next()) {
                names.add(new TableName(r.getString(1), r.getString(2)));
            }
        }
        return names;
    }

    @Override
    public void close() throws Exception {
        try {
            replica.close();
        } finally {
            capture.close();
        }
    }
}
