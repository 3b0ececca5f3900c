package dev.pgcapture.agent.dump;

import dev.pgcapture.proto.Change;

/** Where a dump's rows go: a flow-controlled stream, or a unary response being built. */
@FunctionalInterface
interface RowSink {

    void accept(Change row) throws DumpStopped, InterruptedException;
}
