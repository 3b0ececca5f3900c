package dev.pgcapture.agent.dump;

import com.google.protobuf.UnsafeByteOperations;
import dev.pgcapture.agent.replica.BinaryOidRewriter;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns one row read by COPY into the {@code Change} a dump sends: op UPDATE, every column in
 * {@code new}, binary values with the source's type OIDs (embedded ones too), text values for
 * types without a binary send function.
 */
final class RowEncoder {

    private final TableName table;
    private final List<Column> columns;
    private final BinaryOidRewriter rewriter;

    RowEncoder(TableName table, List<Column> columns, BinaryOidRewriter rewriter) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.rewriter = rewriter;
    }

    /** @param row one value per column, null for SQL NULL; the arrays are not copied and must not be reused */
    Change encode(byte[][] row) {
        Change.Builder change = Change.newBuilder()
                .setOp(Change.Operation.UPDATE)
                .setSchema(table.schema())
                .setTable(table.table());
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Field.Builder field = change.addNewBuilder().setName(column.name()).setOid(column.sourceType());
            byte[] value = row[i];
            if (value == null) {
                continue;
            }
            if (column.binary()) {
                field.setBinary(UnsafeByteOperations.unsafeWrap(rewriter.rewrite(column.replicaType(), value)));
            } else {
                field.setText(new String(value, StandardCharsets.UTF_8));
            }
        }
        return change.build();
    }
}
