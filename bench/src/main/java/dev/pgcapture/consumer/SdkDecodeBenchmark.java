package dev.pgcapture.consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.pgcapture.bench.jmh.SampleRow;
import dev.pgcapture.core.codec.PgCodecs;
import dev.pgcapture.proto.CaptureMessage;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.Checkpoint;
import dev.pgcapture.proto.Field;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The consumer SDK's decoding of one change of {@link SampleRow}'s 10-column row, in rows per
 * second on one thread: the Fields decoded into a {@link Row} ({@link #decodeRow}), the row bound
 * to its model {@link Item} ({@link #decodeAndBind}, the SDK's per-change cost for a model
 * handler), plus the row's JSON ({@link #decodeBindAndJson}), and from the message's bytes as
 * gRPC hands them over ({@link #parseDecodeAndBind}).
 *
 * <p>It sits in the SDK's package to call its package-private decoder and binder, as the
 * dispatcher does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SdkDecodeBenchmark {

    /** The model of the sample row, as an application declares it. */
    @PgTable(name = "items")
    public record Item(
            @PgColumn(value = "id", key = true) Long id,
            @PgColumn("sku") String sku,
            @PgColumn("name") String name,
            @PgColumn("price") BigDecimal price,
            @PgColumn("qty") Integer qty,
            @PgColumn("active") Boolean active,
            @PgColumn("created_at") Instant createdAt,
            @PgColumn("tags") List<String> tags,
            @PgColumn("attrs") String attrs,
            @PgColumn("uuid") UUID uuid) {
    }

    static final Item EXPECTED = new Item(SampleRow.ID, SampleRow.SKU, SampleRow.NAME, SampleRow.PRICE, SampleRow.QTY,
            SampleRow.ACTIVE, SampleRow.CREATED_AT, SampleRow.TAGS, SampleRow.ATTRS, SampleRow.UUID_VALUE);

    /** The change's Fields and the message that carries them, checked to decode to the sample row. */
    @State(Scope.Thread)
    public static class Input {
        PgCodecs codecs;
        List<Field> fields;
        byte[] message;

        @Setup
        public void setUp() throws DecodeFailure {
            codecs = PgCodecs.builtIn();
            SampleRow.verify(codecs);
            fields = SampleRow.fields();
            Row row = RowDecoder.decode(codecs, fields, List.of());
            if (row.columns().size() != SampleRow.COLUMNS.size()) {
                throw new IllegalStateException("the row has " + row.columns().size() + " columns, not " + SampleRow.COLUMNS.size());
            }
            message = CaptureMessage.newBuilder()
                    .setCheckpoint(Checkpoint.newBuilder().setLsn(0x1_6B37_4D48L).setSeq(3))
                    .setChange(Change.newBuilder().setOp(Change.Operation.INSERT).setSchema("public").setTable("items")
                            .addAllNew(fields))
                    .build().toByteArray();
        }
    }

    /** The model type, prepared once as the SDK does when handlers are registered, and checked to bind the sample row. */
    @State(Scope.Thread)
    public static class Model {
        ModelType<Item> type;

        @Setup
        public void setUp(Input input) throws DecodeFailure {
            type = ModelType.of(Item.class);
            Item bound = type.bind(RowDecoder.decode(input.codecs, input.fields, List.of()));
            if (!EXPECTED.equals(bound)) {
                throw new IllegalStateException("the sample row binds to " + bound + ", not " + EXPECTED);
            }
        }
    }

    /** Fields to {@link Row}. */
    @Benchmark
    public Row decodeRow(Input input) throws DecodeFailure {
        return RowDecoder.decode(input.codecs, input.fields, List.of());
    }

    /** Fields to {@link Row} to {@link Item}: the figure to quote for a model handler. */
    @Benchmark
    public Item decodeAndBind(Input input, Model model) throws DecodeFailure {
        return model.type.bind(RowDecoder.decode(input.codecs, input.fields, List.of()));
    }

    /** Fields to {@link Row} to {@link Item}, and the row as JSON. */
    @Benchmark
    public void decodeBindAndJson(Input input, Model model, Blackhole blackhole) throws DecodeFailure {
        Row row = RowDecoder.decode(input.codecs, input.fields, List.of());
        blackhole.consume(model.type.bind(row));
        blackhole.consume(row.toJson());
    }

    /** The CaptureMessage's bytes parsed, then its new Fields to {@link Row} to {@link Item}. */
    @Benchmark
    public Item parseDecodeAndBind(Input input, Model model) throws InvalidProtocolBufferException, DecodeFailure {
        Change change = CaptureMessage.parseFrom(input.message).getChange();
        return model.type.bind(RowDecoder.decode(input.codecs, change.getNewList(), change.getUnchangedToastList()));
    }
}
