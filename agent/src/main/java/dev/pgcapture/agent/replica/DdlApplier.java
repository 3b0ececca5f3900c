package dev.pgcapture.agent.replica;

import dev.pgcapture.agent.setup.DdlLogs;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies captured DDL to a logical replica: each {@code pgcapture.ddl_logs} row, in the
 * replica transaction that applies its source transaction. Tables are matched by the source's
 * OID and columns by attnum, never by name, and the row's statement text is never executed: a
 * {@code ddl_command_end} row carries each affected table's structure after its command, and
 * the replica table is created or altered to that structure ({@link StructureDiff}); a
 * {@code sql_drop} row drops the tables it names; a {@code table_rewrite} row marks its table
 * for a new seed, as a rewrite changes rows without WAL events, and so does a column added with
 * a computed default such as {@code now()}, whose value for existing rows the event does not carry. Because every command of a
 * multi-statement string or DO block writes its own row, applying the rows in order applies
 * each intermediate structure in turn.
 *
 * <p>Before altering or dropping an existing replica table it calls
 * {@link DumpInterlock#beforeExclusive} once; the caller calls {@link DumpInterlock#released}
 * when the transaction has ended. Not thread-safe, like the {@link ReplicaTables} it updates.
 */
public final class DdlApplier {

    private static final Set<String> SYSTEM_TYPE_SCHEMAS = Set.of("pg_catalog", "information_schema");

    private final ReplicaTables tables;
    private final DumpInterlock interlock;

    public DdlApplier(ReplicaTables tables, DumpInterlock interlock) {
        this.tables = tables;
        this.interlock = interlock;
    }

    /**
     * Applies one {@code pgcapture.ddl_logs} row (the INSERT Change as captured) in {@code c}'s
     * open transaction.
     *
     * @param commitLsn the commit LSN of the source transaction, for error messages
     * @throws ApplyException when the DDL cannot be applied: the row is malformed, a type is
     *     missing on the replica, PostgreSQL cannot make the change, or a statement failed
     * @throws SQLException when reading or writing pgcapture's bookkeeping fails
     */
    public void apply(Connection c, Change ddlLogsInsert, Lsn commitLsn) throws SQLException, ApplyException {
        DdlEvent event;
        try {
            event = DdlEvent.parse(ddlLogsInsert);
        } catch (IllegalArgumentException e) {
            throw new ApplyException(commitLsn, DdlLogs.TABLE, "malformed DDL event: " + e.getMessage(), e);
        }
        switch (event.kind()) {
            case DDL_COMMAND_END -> applyStructures(c, event, commitLsn);
            case SQL_DROP -> applyDrops(c, event, commitLsn);
            case TABLE_REWRITE -> markRewritten(c, event, commitLsn);
        }
    }

    /** What one table needs: its new structure, the replica table to lock (none when new) and the statements. */
    private record Plan(TableStructure structure, Optional<ReplicaTables.Table> known, List<String> sql) {
    }

    private void applyStructures(Connection c, DdlEvent event, Lsn commitLsn) throws SQLException, ApplyException {
        List<Plan> plans = new ArrayList<>();
        Boolean allTables = null;
        for (TableStructure structure : event.tables().values()) {
            Optional<ReplicaTables.Table> known = tables.byOid(structure.oid());
            if (known.isEmpty()) {
                if (allTables == null) {
                    allTables = ReplicaPosition.read(c).map(ReplicaPosition::allTables).orElse(true);
                }
                if (!allTables) {
                    continue; // seeded with --tables: tables it was not given stay out
                }
            } else if (known.get().structure().equals(structure) || commitLsn.compareTo(known.get().applyFrom()) < 0) {
                continue; // unchanged, or already in the snapshot the table was (re-)seeded from
            }
            checkTypes(c, structure, commitLsn);
            plans.add(new Plan(structure, known, statements(c, structure, known, commitLsn)));
        }
        lockExisting(plans.stream().filter(p -> p.known().isPresent() && !p.sql().isEmpty())
                .map(p -> p.known().get().structure().name()).toList(), commitLsn);
        for (Plan plan : plans) {
            TableName target = plan.known().map(t -> t.structure().name()).orElse(plan.structure().name());
            for (String sql : plan.sql()) {
                execute(c, sql, target, commitLsn);
            }
            ReplicaTables.Table entry = plan.known()
                    .map(t -> new ReplicaTables.Table(plan.structure(), t.applyFrom(),
                            t.needsSeed() || StructureDiff.addsComputedDefault(t.structure(), plan.structure())))
                    .orElseGet(() -> new ReplicaTables.Table(plan.structure(), Lsn.ZERO, false));
            tables.put(c, entry);
            for (TableStructure.Column column : plan.structure().columns().values()) {
                if (!SYSTEM_TYPE_SCHEMAS.contains(column.typeSchema())) {
                    ReplicaTables.putType(c, column.typeOid(), column.typeSchema(), column.typeName());
                }
            }
        }
        if (!plans.isEmpty()) {
            // the types inside the columns' values too: binary arrays and composites embed their OIDs
            for (Map.Entry<Long, TableName> type : event.types().entrySet()) {
                ReplicaTables.putType(c, type.getKey(), type.getValue().schema(), type.getValue().table());
            }
        }
    }

    private static List<String> statements(Connection c, TableStructure structure, Optional<ReplicaTables.Table> known,
            Lsn commitLsn) throws SQLException, ApplyException {
        if (known.isEmpty()) {
            List<String> sql = new ArrayList<>();
            sql.add(StructureSql.createSchema(structure.schema()));
            sql.addAll(StructureSql.createTable(structure));
            return sql;
        }
        TableStructure old = known.get().structure();
        String primaryKey = null;
        if (StructureDiff.primaryKeyChanged(old, structure) && !old.primaryKey().isEmpty()) {
            primaryKey = ReplicaCatalog.primaryKeyName(c, old.name()).orElse(null);
        }
        try {
            return StructureDiff.alter(old, structure, primaryKey);
        } catch (StructureDiff.CannotAlterException e) {
            throw new ApplyException(commitLsn, old.name().quoted(), e.getMessage(), e);
        }
    }

    private static void checkTypes(Connection c, TableStructure structure, Lsn commitLsn) throws SQLException, ApplyException {
        for (TableStructure.Column column : structure.columns().values()) {
            if (!SYSTEM_TYPE_SCHEMAS.contains(column.typeSchema())
                    && !ReplicaCatalog.typeExists(c, column.typeSchema(), column.typeName())) {
                throw new ApplyException(commitLsn, structure.name().quoted(), "column " + TableName.quoteIdentifier(column.name())
                        + " has type " + column.typeSql() + " (" + new TableName(column.typeSchema(), column.typeName()).quoted()
                        + "), which does not exist on the replica; create it on the replica as it is on the source, "
                        + "then restart the applier");
            }
        }
    }

    private void applyDrops(Connection c, DdlEvent event, Lsn commitLsn) throws SQLException, ApplyException {
        // Dropped columns, indexes and constraints are left to the ddl_command_end row of the same
        // ALTER TABLE, whose structure no longer has them; only whole tables go here.
        List<ReplicaTables.Table> dropped = new ArrayList<>();
        for (DdlEvent.Dropped object : event.dropped()) {
            if (object.isTable()) {
                tables.byOid(object.oid()).ifPresent(dropped::add);
            }
        }
        lockExisting(dropped.stream().map(t -> t.structure().name()).toList(), commitLsn);
        for (ReplicaTables.Table table : dropped) {
            execute(c, StructureSql.dropTable(table.structure().name()), table.structure().name(), commitLsn);
            tables.remove(c, table.structure().oid());
        }
    }

    private void markRewritten(Connection c, DdlEvent event, Lsn commitLsn) throws SQLException {
        for (DdlEvent.Rewritten rewritten : event.rewritten()) {
            Optional<ReplicaTables.Table> table = tables.byOid(rewritten.oid());
            if (table.isPresent() && !table.get().needsSeed() && commitLsn.compareTo(table.get().applyFrom()) >= 0) {
                tables.put(c, new ReplicaTables.Table(table.get().structure(), table.get().applyFrom(), true));
            }
        }
    }

    private void lockExisting(List<TableName> names, Lsn commitLsn) throws ApplyException {
        if (names.isEmpty()) {
            return;
        }
        try {
            interlock.beforeExclusive(names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException(commitLsn, names.size() == 1 ? names.getFirst().quoted() : null,
                    "interrupted while cancelling the dumps of " + names, e);
        }
    }

    private static void execute(Connection c, String sql, TableName table, Lsn commitLsn) throws ApplyException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new ApplyException(commitLsn, table.quoted(), "the replica refused " + sql + ": " + e.getMessage(), e);
        }
    }
}
