package dev.pgcapture.gateway;

import dev.pgcapture.core.Lsn;
import dev.pgcapture.core.NoSuchTableException;
import dev.pgcapture.core.SourceDumper;
import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.Change;
import dev.pgcapture.proto.DescribeTypesResponse;
import dev.pgcapture.proto.DumpInfoResponse;
import dev.pgcapture.proto.TypeDescription;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica held in memory: tables of rows by page. A snapshot copies the table when it is taken,
 * so a test that changes the table afterwards can tell which state a row was read in. Records the
 * LSNs asked for, and throws the failures a test queues.
 */
final class FakeDumper {

    private final Map<TableName, TreeMap<Integer, List<Change>>> tables = new ConcurrentHashMap<>();
    /** The LSN the replica has applied: a snapshot is at the later of this and the one asked for. */
    volatile Lsn applied = Lsn.ZERO;
    final List<Lsn> tableMinLsns = new CopyOnWriteArrayList<>();
    final List<Lsn> dumpMinLsns = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Exception> tableFailures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Exception> chunkFailures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Exception> dumpFailures = new ConcurrentLinkedQueue<>();
    final AtomicInteger openSnapshots = new AtomicInteger();
    final AtomicInteger openDumps = new AtomicInteger();
    volatile CountDownLatch tableGate;

    /** Puts {@code rows} on page {@code page} of {@code table}, replacing what was there. */
    void page(TableName table, int page, List<Change> rows) {
        tables.computeIfAbsent(table, t -> new TreeMap<>(Integer::compareUnsigned)).put(page, List.copyOf(rows));
    }

    void drop(TableName table) {
        tables.remove(table);
    }

    /** Makes the next {@code table()} calls wait until the returned latch is counted down. */
    CountDownLatch holdTables() {
        CountDownLatch gate = new CountDownLatch(1);
        tableGate = gate;
        return gate;
    }

    SourceDumper open() {
        return new SourceDumper() {
            private volatile boolean closed;

            @Override
            public Dump dump(Lsn minLsn, DumpInfoResponse chunk) throws Exception {
                dumpMinLsns.add(minLsn);
                Exception failure = dumpFailures.poll();
                if (failure != null) {
                    throw failure;
                }
                TableName name = new TableName(chunk.getSchema(), chunk.getTable());
                Lsn at = later(minLsn);
                return rows(at, pages(copy(name), chunk.getPageBegin(), chunk.getPageEnd()));
            }

            @Override
            public TableSnapshot table(Lsn minLsn, TableName table) throws Exception {
                tableMinLsns.add(minLsn);
                CountDownLatch gate = tableGate;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (gate != null && !gate.await(10, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        throw new CancellationException("the dumper was closed");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the test never opened the table gate");
                    }
                }
                Exception failure = tableFailures.poll();
                if (failure != null) {
                    throw failure;
                }
                TreeMap<Integer, List<Change>> copy = copy(table);
                Lsn at = later(minLsn);
                openSnapshots.incrementAndGet();
                return new TableSnapshot() {
                    private boolean closed;

                    @Override
                    public Lsn snapshotLsn() {
                        return at;
                    }

                    @Override
                    public long pages() {
                        return copy.isEmpty() ? 0 : copy.lastKey() + 1L;
                    }

                    @Override
                    public Dump chunk(int pageBegin, int pageEnd) throws Exception {
                        Exception failure = chunkFailures.poll();
                        if (failure != null) {
                            throw failure;
                        }
                        return rows(at, FakeDumper.pages(copy, pageBegin, pageEnd));
                    }

                    @Override
                    public void close() {
                        if (!closed) {
                            closed = true;
                            openSnapshots.decrementAndGet();
                        }
                    }
                };
            }

            @Override
            public DescribeTypesResponse describeTypes(Iterable<Integer> oids) {
                DescribeTypesResponse.Builder response = DescribeTypesResponse.newBuilder();
                for (int oid : oids) {
                    response.addTypes(TypeDescription.newBuilder().setOid(oid).setSchema("public").setName("t" + oid));
                }
                return response.build();
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    private Lsn later(Lsn minLsn) {
        return applied.isAfter(minLsn) ? applied : minLsn;
    }

    private TreeMap<Integer, List<Change>> copy(TableName table) throws NoSuchTableException {
        TreeMap<Integer, List<Change>> rows = tables.get(table);
        if (rows == null) {
            throw new NoSuchTableException(table);
        }
        TreeMap<Integer, List<Change>> copy = new TreeMap<>(Integer::compareUnsigned);
        copy.putAll(rows);
        return copy;
    }

    private static List<Change> pages(TreeMap<Integer, List<Change>> table, int begin, int end) {
        List<Change> rows = new ArrayList<>();
        for (Map.Entry<Integer, List<Change>> page : table.entrySet()) {
            if (Integer.compareUnsigned(page.getKey(), begin) >= 0 && Integer.compareUnsigned(page.getKey(), end) <= 0) {
                rows.addAll(page.getValue());
            }
        }
        return rows;
    }

    private SourceDumper.Dump rows(Lsn at, List<Change> rows) {
        openDumps.incrementAndGet();
        Iterator<Change> it = rows.iterator();
        return new SourceDumper.Dump() {
            private boolean closed;

            @Override
            public Lsn snapshotLsn() {
                return at;
            }

            @Override
            public Change next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    openDumps.decrementAndGet();
                }
            }
        };
    }
}
