package dev.pgcapture.bench.jmh;

import dev.pgcapture.agent.capture.PgOutputMapper;
import dev.pgcapture.agent.capture.RelationCache;
import dev.pgcapture.agent.pgoutput.ColumnValue;
import dev.pgcapture.agent.pgoutput.PgOutputDecoder;
import dev.pgcapture.agent.pgoutput.PgOutputMessage;
import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceMessage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The agent's capture path for a binary pgoutput Insert of {@link SampleRow}'s 10-column row,
 * in rows per second: the decoder alone ({@link #decodeInsert}), and the decoder with the
 * mapping to the pgcapture Change that is published ({@link #decodeAndMapInsert}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PgOutputBenchmark {

    /** The Insert's bytes, checked to decode to the sample row's binary values. */
    @State(Scope.Thread)
    public static class Input {
        ByteBuffer insert;
        PgOutputMessage.Relation relation;

        @Setup
        public void setUp() {
            // Decoding leaves the buffer's position as it was, so one buffer serves every call.
            insert = ByteBuffer.wrap(SampleRow.pgoutputInsert()).asReadOnlyBuffer();
            if (!(PgOutputDecoder.decode(insert) instanceof PgOutputMessage.Insert decoded)
                    || decoded.relationOid() != SampleRow.RELATION_OID
                    || decoded.newTuple().size() != SampleRow.COLUMNS.size()) {
                throw new IllegalStateException("the sample Insert does not decode to an Insert of " + SampleRow.COLUMNS.size()
                        + " columns of relation " + SampleRow.RELATION_OID);
            }
            for (int i = 0; i < SampleRow.COLUMNS.size(); i++) {
                SampleRow.Column column = SampleRow.COLUMNS.get(i);
                if (!(decoded.newTuple().get(i) instanceof ColumnValue.Binary binary)
                        || !Arrays.equals(binary.bytes().toByteArray(), column.binary())) {
                    throw new IllegalStateException("the sample Insert's column " + column.name() + " decodes to "
                            + decoded.newTuple().get(i) + ", not its binary value");
                }
            }
            relation = (PgOutputMessage.Relation) PgOutputDecoder.decode(ByteBuffer.wrap(SampleRow.pgoutputRelation()));
        }
    }

    /**
     * A mapper inside an open transaction that knows the table, new for every iteration (a
     * transaction holds at most 2^32 messages).
     */
    @State(Scope.Thread)
    public static class Transaction {
        PgOutputMapper mapper;

        @Setup(Level.Iteration)
        public void setUp(Input input) {
            mapper = new PgOutputMapper(new RelationCache());
            mapper.map(input.relation);
            mapper.map(new PgOutputMessage.Begin(new Lsn(0x1_6B37_4D48L), 0, 1234));
            Optional<SourceMessage> mapped = mapper.map(PgOutputDecoder.decode(input.insert));
            if (mapped.isEmpty() || mapped.get().message().getChange().getNewCount() != SampleRow.COLUMNS.size()
                    || !mapped.get().message().getChange().getNewList().equals(SampleRow.fields())) {
                throw new IllegalStateException("the sample Insert maps to " + mapped + ", not a Change of the sample row's fields");
            }
        }
    }

    /** pgoutput bytes to a decoded Insert. */
    @Benchmark
    public PgOutputMessage decodeInsert(Input input) {
        return PgOutputDecoder.decode(input.insert);
    }

    /** pgoutput bytes to the Change the agent publishes (with its checkpoint). */
    @Benchmark
    public Optional<SourceMessage> decodeAndMapInsert(Input input, Transaction transaction) {
        return transaction.mapper.map(PgOutputDecoder.decode(input.insert));
    }
}
