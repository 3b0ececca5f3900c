package dev.pgcapture.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pulsar.PulsarStandalone;
import org.apache.pulsar.PulsarStandaloneBuilder;
import org.apache.pulsar.broker.ServiceConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * An Apache Pulsar broker in this JVM: Pulsar's standalone mode with RocksDB metadata, one
 * in-process bookie, no functions worker and no stream storage, sized for a small machine.
 *
 * <p>Data lives under {@link Settings#dataDir()}; with {@link Settings#wipe()} it is cleared at
 * start. The broker listens on loopback only, on the ports of the settings (0 picks free ones).
 * Pulsar leaves non-daemon threads behind after {@link #close()}: a {@code main} that embeds
 * it must end with {@code System.exit}.
 */
public final class LocalPulsar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPulsar.class);

    /**
     * Where and how the broker runs.
     *
     * @param dataDir metadata, bookie journal and ledgers
     * @param host the address to bind and advertise
     * @param brokerPort the binary protocol port, 0 for a free one
     * @param webPort the HTTP admin port, 0 for a free one
     * @param bookiePort the bookie's port, 0 for a free one; keep it fixed for a data
     *     directory that is reused, since the bookie's identity includes it
     * @param wipe clear the data directory at start
     */
    public record Settings(Path dataDir, String host, int brokerPort, int webPort, int bookiePort, boolean wipe) {

        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(host, "host");
            for (int port : new int[] {brokerPort, webPort, bookiePort}) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " is outside 0..65535");
                }
            }
        }

        /** A throw-away broker on loopback, free ports, in {@code dataDir}. */
        public static Settings ephemeral(Path dataDir) {
            return new Settings(dataDir, "127.0.0.1", 0, 0, 0, true);
        }
    }

    private final PulsarStandalone standalone;
    private final String serviceUrl;
    private final String httpUrl;

    private LocalPulsar(PulsarStandalone standalone) {
        this.standalone = standalone;
        this.serviceUrl = standalone.getBrokerServiceUrl();
        this.httpUrl = standalone.getWebServiceUrl();
    }

    /** Starts a broker and returns once it serves the {@code public/default} namespace. */
    public static LocalPulsar start(Settings settings) throws Exception {
        Path dataDir = settings.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        Path bookieConfig = writeBookieConfig(dataDir);

        PulsarStandalone standalone = PulsarStandaloneBuilder.instance().withAdvertisedAddress(settings.host()).build();
        // The metadata directory has no setter, only the `pulsar standalone` option; parsing
        // resets the other options, so the setters come after it.
        new CommandLine(standalone).parseArgs("--metadata-dir", dataDir.resolve("metadata").toString());
        standalone.setAdvertisedAddress(settings.host());
        standalone.setWipeData(settings.wipe());
        standalone.setNumOfBk(1);
        standalone.setBkPort(settings.bookiePort());
        standalone.setBkDir(dataDir.resolve("bookkeeper").toString());
        // Never created: its absence is what makes standalone mode use RocksDB, not ZooKeeper.
        standalone.setZkDir(dataDir.resolve("zookeeper").toString());
        standalone.setNoFunctionsWorker(true);
        standalone.setNoStreamStorage(true);
        standalone.setConfigFile(bookieConfig.toString());
        // build() replaces the configuration, so ours is applied to the one it made.
        configureBroker(standalone.getConfig(), settings);

        long started = System.nanoTime();
        try {
            standalone.start();
        } catch (Exception e) {
            standalone.close();
            throw e;
        }
        LocalPulsar pulsar = new LocalPulsar(standalone);
        log.info("Pulsar broker started in {} ms at {} (admin {}), data in {}",
                (System.nanoTime() - started) / 1_000_000, pulsar.serviceUrl, pulsar.httpUrl, dataDir);
        return pulsar;
    }

    private static void configureBroker(ServiceConfiguration config, Settings settings) {
        config.setBindAddress(settings.host());
        config.setAdvertisedAddress(settings.host());
        config.setBrokerServicePort(Optional.of(settings.brokerPort()));
        config.setWebServicePort(Optional.of(settings.webPort()));
        config.setManagedLedgerDefaultEnsembleSize(1);
        config.setManagedLedgerDefaultWriteQuorum(1);
        config.setManagedLedgerDefaultAckQuorum(1);
        // Thread pools and caches sized for a 2-core machine that also runs PostgreSQL.
        config.setNumIOThreads(2);
        config.setNumOrderedExecutorThreads(2);
        config.setNumExecutorThreadPoolSize(2);
        config.setNumCacheExecutorThreadPoolSize(1);
        config.setNumHttpServerThreads(4);
        config.setBookkeeperClientNumWorkerThreads(2);
        config.setBookkeeperClientNumIoThreads(2);
        config.setManagedLedgerNumSchedulerThreads(1);
        config.setManagedLedgerCacheSizeMB(32);
        config.setTransactionCoordinatorEnabled(false);
        // The gateway acknowledges single messages of a producer batch; without this the broker
        // keeps only whole-batch acks, and a batch with one message requeued comes back whole.
        config.setAcknowledgmentAtBatchIndexLevelEnabled(true);
        config.setBrokerShutdownTimeoutMs(5_000);
    }

    private static Path writeBookieConfig(Path dataDir) {
        // Durability of the journal is traded for speed, as in a development standalone: data
        // survives a clean stop, not a power loss. journalMaxGroupWaitMSec=0 takes the 1 ms
        // group-commit wait off every synchronous send.
        List<String> lines = List.of(
                "journalSyncData=false",
                "journalMaxGroupWaitMSec=0",
                "journalPreAllocSizeMB=1",
                "allowLoopback=true",
                // The broker accepts 5 MiB messages; with its metadata an entry is a little
                // larger, and a bookie at its default 5 MiB frame limit would drop the
                // connection on it forever. Pulsar's own bookkeeper.conf has this value.
                "nettyMaxFrameSizeBytes=5253120",
                "httpServerEnabled=false",
                "dbStorage_writeCacheMaxSizeMb=16",
                "dbStorage_readAheadCacheMaxSizeMb=16",
                "dbStorage_rocksDB_blockCacheSize=16777216",
                "diskUsageThreshold=0.99",
                "diskUsageWarnThreshold=0.98");
        Path file = dataDir.resolve("bookkeeper.conf");
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bookie configuration " + file, e);
        }
        return file;
    }

    /** The binary protocol URL, {@code pulsar://host:port}. */
    public String serviceUrl() {
        return serviceUrl;
    }

    /** The admin HTTP URL, {@code http://host:port}. */
    public String httpUrl() {
        return httpUrl;
    }

    /** Stops the broker and the bookie; the data directory stays. */
    @Override
    public void close() {
        standalone.close();
        log.info("Pulsar broker at {} stopped", serviceUrl);
    }
}
