package dev.pgcapture.bench.jmh;

import dev.pgcapture.agent.pgoutput.ColumnValue;
import dev.pgcapture.agent.pgoutput.PgOutputDecoder;
import dev.pgcapture.agent.pgoutput.PgOutputMessage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The agent's pgoutput decoder on a binary Insert of {@link SampleRow}'s 10-column row, in
 * messages (rows) per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class PgOutputBenchmark {

    private ByteBuffer insert;

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
    }

    @Benchmark
    public PgOutputMessage decodeInsert() {
        return PgOutputDecoder.decode(insert);
    }
}
