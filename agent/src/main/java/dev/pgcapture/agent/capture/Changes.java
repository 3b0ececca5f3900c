package dev.pgcapture.agent.capture;

import dev.pgcapture.agent.pgoutput.ColumnValue;
import dev.pgcapture.agent.pgoutput.OldTuple;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Delete;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Insert;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Relation.Column;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Truncate;
import dev.pgcapture.agent.pgoutput.PgOutputMessage.Update;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import dev.pgcapture.proto.TableName;
import java.util.List;
import java.util.Optional;

/** Builds the {@link Change} of one decoded row change, given the shape of its relation. */
final class Changes {

    private Changes() {
    }

    static Change insert(Relation relation, Insert insert) {
        List<ColumnValue> values = checkWidth(relation, insert.newTuple(), "Insert", "new");
        Change.Builder change = header(Change.Operation.INSERT, relation);
        for (int i = 0; i < values.size(); i++) {
            Column column = relation.columns().get(i);
            if (values.get(i) instanceof ColumnValue.UnchangedToast) {
                throw new IllegalArgumentException("Insert on " + describe(relation) + " has an unchanged TOAST value in column \""
                        + column.name() + "\": a new row always carries its values");
            }
            change.addNew(field(column, values.get(i)));
        }
        return change.build();
    }

    /**
     * An UPDATE. An unchanged TOAST column is named in {@code unchanged_toast} instead of being
     * sent, unless the old tuple is a full row holding its value: then that value is sent.
     */
    static Change update(Relation relation, Update update) {
        List<ColumnValue> values = checkWidth(relation, update.newTuple(), "Update", "new");
        Optional<OldTuple> old = update.oldTuple();
        List<ColumnValue> fullOldRow = old.filter(tuple -> tuple.kind() == OldTuple.Kind.FULL_ROW)
                .map(tuple -> checkWidth(relation, tuple.columns(), "Update", "old"))
                .orElse(null);
        Change.Builder change = header(Change.Operation.UPDATE, relation);
        for (int i = 0; i < values.size(); i++) {
            Column column = relation.columns().get(i);
            ColumnValue value = values.get(i);
            if (value instanceof ColumnValue.UnchangedToast) {
                ColumnValue previous = fullOldRow == null ? ColumnValue.NULL : fullOldRow.get(i);
                if (previous instanceof ColumnValue.Text || previous instanceof ColumnValue.Binary) {
                    change.addNew(field(column, previous));
                } else {
                    change.addUnchangedToast(column.name());
                }
            } else {
                change.addNew(field(column, value));
            }
        }
        old.ifPresent(tuple -> addOld(change, relation, tuple, "Update"));
        return change.build();
    }

    static Change delete(Relation relation, Delete delete) {
        Change.Builder change = header(Change.Operation.DELETE, relation);
        addOld(change, relation, delete.oldTuple(), "Delete");
        return change.build();
    }

    /** One TRUNCATE of {@code relations}, in the message's order; the first names the change. */
    static Change truncate(List<Relation> relations, Truncate truncate) {
        dev.pgcapture.proto.Truncate.Builder tables = dev.pgcapture.proto.Truncate.newBuilder()
                .setCascade(truncate.cascade())
                .setRestartIdentity(truncate.restartIdentity());
        for (Relation relation : relations) {
            tables.addTables(TableName.newBuilder().setSchema(schema(relation)).setTable(relation.name()));
        }
        return header(Change.Operation.TRUNCATE, relations.getFirst()).setTruncate(tables).build();
    }

    /** {@code "schema"."table" (relation OID n)}, for error messages. */
    static String describe(Relation relation) {
        return dev.pgcapture.core.TableName.quoteIdentifier(schema(relation)) + "."
                + dev.pgcapture.core.TableName.quoteIdentifier(relation.name())
                + " (relation OID " + relation.relationOid() + ")";
    }

    /** A key tuple contributes its key columns, a full row every column; unchanged TOAST is left out. */
    private static void addOld(Change.Builder change, Relation relation, OldTuple old, String operation) {
        List<ColumnValue> values = checkWidth(relation, old.columns(), operation, "old");
        for (int i = 0; i < values.size(); i++) {
            Column column = relation.columns().get(i);
            boolean wanted = old.kind() == OldTuple.Kind.FULL_ROW || column.partOfKey();
            if (wanted && !(values.get(i) instanceof ColumnValue.UnchangedToast)) {
                change.addOld(field(column, values.get(i)));
            }
        }
    }

    private static Change.Builder header(Change.Operation op, Relation relation) {
        return Change.newBuilder().setOp(op).setSchema(schema(relation)).setTable(relation.name());
    }

    /** pgoutput sends an empty namespace for {@code pg_catalog}. */
    private static String schema(Relation relation) {
        return relation.namespace().isEmpty() ? "pg_catalog" : relation.namespace();
    }

    private static List<ColumnValue> checkWidth(Relation relation, List<ColumnValue> values, String operation, String tuple) {
        if (values.size() != relation.columns().size()) {
            throw new IllegalArgumentException(operation + " on " + describe(relation) + ": its " + tuple + " tuple has width "
                    + values.size() + " but the relation has " + relation.columns().size()
                    + " columns; the stream and its Relation messages disagree");
        }
        return values;
    }

    private static Field field(Column column, ColumnValue value) {
        Field.Builder field = Field.newBuilder().setName(column.name()).setOid((int) column.typeOid());
        switch (value) {
            case ColumnValue.Binary binary -> field.setBinary(binary.bytes());
            case ColumnValue.Text text -> field.setText(text.text());
            case ColumnValue.Null ignored -> { } // no value: SQL NULL
            case ColumnValue.UnchangedToast ignored ->
                    throw new IllegalStateException("column \"" + column.name() + "\" has no value to send: unchanged TOAST");
        }
        return field.build();
    }
}
