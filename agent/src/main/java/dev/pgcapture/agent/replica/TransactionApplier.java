package dev.pgcapture.agent.replica;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Routes the changes of one source transaction, in order, inside the open replica transaction:
 * row changes to the {@link RunGrouper}, DDL events (INSERTs on {@code pgcapture.ddl_logs}) to the
 * {@link DdlApplier}, TRUNCATE to one statement over all its tables. Changes of tables the replica
 * skips ({@link ReplicaTables.Table#applies} false, or not held by a partial replica) are left out;
 * a change of a table a full replica does not hold yet is held until a DDL event of the same
 * transaction creates it ({@code CREATE TABLE AS} sends its rows before its DDL event).
 */
final class TransactionApplier {

    private static final TableName DDL_LOGS = new TableName(ReplicaSchema.SCHEMA, "ddl_logs");

    private final Connection c;
    private final ReplicaTables tables;
    private final boolean allTables;
    private final DdlApplier ddl;
    private final DumpInterlock interlock;
    private final RunGrouper runs;
    private final List<Change> held = new ArrayList<>();
    private Lsn commitLsn;
    private boolean exclusive;

    TransactionApplier(Connection c, ReplicaTables tables, boolean allTables, DdlApplier ddl, DumpInterlock interlock, RunGrouper runs) {
        this.c = c;
        this.tables = tables;
        this.allTables = allTables;
        this.ddl = ddl;
        this.interlock = interlock;
        this.runs = runs;
    }

    /** Starts the source transaction committed at {@code lsn}. */
    void begin(Lsn lsn) {
        commitLsn = lsn;
        held.clear();
    }

    /** Applies (or groups, or holds) the transaction's next change. */
    void accept(Change change) throws SQLException, ApplyException, InterruptedException {
        TableName name = new TableName(change.getSchema(), change.getTable());
        if (name.equals(DDL_LOGS)) {
            if (change.getOp() == Change.Operation.INSERT) {
                applyDdl(change);
            }
            return; // the agent's pruning of old DDL events is no change to the replica
        }
        if (change.getOp() == Change.Operation.TRUNCATE) {
            truncate(change);
            return;
        }
        Optional<ReplicaTables.Table> table = tables.byName(name);
        if (table.isPresent()) {
            if (table.get().applies(commitLsn)) {
                runs.add(new RowChange(table.get(), change, commitLsn));
            }
        } else if (allTables && !name.schema().equals(ReplicaSchema.SCHEMA)) {
            held.add(change);
        }
    }

    /** Ends the transaction: every held change must have found its table. */
    void end() throws ApplyException {
        if (!held.isEmpty()) {
            Change first = held.getFirst();
            TableName name = new TableName(first.getSchema(), first.getTable());
            throw new ApplyException(commitLsn, name.quoted(), held.size() + " row change(s) arrived for a table the replica does not hold, "
                    + "and no DDL event of the same source transaction created it");
        }
    }

    /** The replica transaction ended; tells the dump interlock if it was used. */
    void released() {
        if (exclusive) {
            exclusive = false;
            interlock.released();
        }
    }

    private void applyDdl(Change change) throws SQLException, ApplyException, InterruptedException {
        runs.flush();
        exclusive = true;
        try {
            ddl.apply(c, change, commitLsn);
        } catch (SQLException e) {
            if (RunWriter.isConnectionLoss(e)) {
                throw e;
            }
            throw new ApplyException(commitLsn, null, "the DDL event failed: " + e.getMessage(), e);
        }
        for (Iterator<Change> it = held.iterator(); it.hasNext(); ) {
            Change waiting = it.next();
            Optional<ReplicaTables.Table> table = tables.byName(new TableName(waiting.getSchema(), waiting.getTable()));
            if (table.isPresent()) {
                it.remove();
                if (table.get().applies(commitLsn)) {
                    runs.add(new RowChange(table.get(), waiting, commitLsn));
                }
            }
        }
    }

    private void truncate(Change change) throws SQLException, ApplyException, InterruptedException {
        runs.flush();
        List<TableName> names = new ArrayList<>();
        for (dev.pgcapture.proto.TableName listed : change.getTruncate().getTablesList()) {
            tables.byName(new TableName(listed.getSchema(), listed.getTable()))
                    .filter(table -> table.applies(commitLsn))
                    .ifPresent(table -> names.add(table.structure().name()));
        }
        if (names.isEmpty()) {
            return;
        }
        exclusive = true;
        interlock.beforeExclusive(names);
        String sql = "TRUNCATE " + String.join(", ", names.stream().map(TableName::quoted).toList())
                + (change.getTruncate().getRestartIdentity() ? " RESTART IDENTITY" : "")
                + (change.getTruncate().getCascade() ? " CASCADE" : "");
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (RunWriter.isConnectionLoss(e)) {
                throw e;
            }
            throw new ApplyException(commitLsn, names.getFirst().quoted(), "TRUNCATE of " + names + " failed: " + e.getMessage(), e);
        }
    }
}
