package dev.pgcapture.gateway.resolve;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.DumpInfoResponse;

/** A dumper that only remembers which Agent it was made for. */
record FakeDumper(String agentUrl) implements SourceDumper {

    @Override
    public Dump dump(Lsn minLsn, DumpInfoResponse chunk) {
        throw new UnsupportedOperationException("a fake dumper reads nothing");
    }

    @Override
    public TableSnapshot table(Lsn minLsn, TableName table) {
        throw new UnsupportedOperationException("a fake dumper reads nothing");
    }

    @Override
    public DescribeTypesResponse describeTypes(Iterable<Integer> oids) {
        throw new UnsupportedOperationException("a fake dumper reads nothing");
    }

    @Override
    public void close() {
    }
}
