package dev.pgcapture.bench.jmh;

import dev.pgcapture.core.codec.PgCodec;
import dev.pgcapture.core.codec.PgCodecs;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One binary codec of core decoding one value of {@link SampleRow}, in values per second: the
 * column of the type named by {@code type} ({@code -p type=int8,text,uuid} picks others of the
 * row's types).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class CodecBenchmark {

    @Param({"numeric", "timestamptz", "text[]", "jsonb"})
    public String type;

    private PgCodec<?> codec;
    private ByteBuffer value;

    @Setup
    public void setUp() {
        PgCodecs codecs = PgCodecs.builtIn();
        SampleRow.verify(codecs);
        SampleRow.Column column = SampleRow.column(type);
        codec = codecs.forOid(column.oid());
        // Decoding leaves the buffer's position as it was, so one buffer serves every call.
        value = ByteBuffer.wrap(column.binary()).asReadOnlyBuffer();
    }

    @Benchmark
    public Object decode() {
        return codec.decode(value);
    }
}
