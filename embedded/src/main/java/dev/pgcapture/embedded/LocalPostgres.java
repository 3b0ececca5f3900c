package dev.pgcapture.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local PostgreSQL server from the embedded binaries on the classpath (one major per
 * classpath; the build chooses it), configured for logical replication.
 *
 * <p>The server listens on loopback; its superuser is {@value #SUPERUSER}, trusted without a
 * password, so it is for development and tests only.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser of the embedded server. */
    public static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

    /**
     * Where and how the server runs.
     *
     * @param dataDir the cluster's data directory; created by {@code initdb} when empty
     * @param port the port to listen on, 0 for a free one
     * @param wipe remove the data directory when the server stops
     * @param durable keep fsync and full-page writes on; off trades crash safety for speed
     * @param serverSettings {@code postgresql.conf} settings applied after the built-in ones, so
     *     they override them (e.g. {@code wal_level=replica} for a test of a misconfigured server);
     *     empty for none
     */
    public record Settings(Path dataDir, int port, boolean wipe, boolean durable, Map<String, String> serverSettings) {

        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            serverSettings = Map.copyOf(serverSettings);
        }

        /** Settings with no extra server settings. */
        public Settings(Path dataDir, int port, boolean wipe, boolean durable) {
            this(dataDir, port, wipe, durable, Map.of());
        }

        /** A throw-away, non-durable server on a free port, in {@code dataDir}. */
        public static Settings ephemeral(Path dataDir) {
            return new Settings(dataDir, 0, true, false);
        }

        /** These settings with {@code serverSettings} replacing the extra server settings. */
        public Settings withServerSettings(Map<String, String> serverSettings) {
            return new Settings(dataDir, port, wipe, durable, serverSettings);
        }
    }

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts the server (running {@code initdb} first if the data directory is new). */
    public static LocalPostgres start(Settings settings) throws IOException {
        Path dataDir = settings.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(settings.wipe())
                .setPGStartupWait(Duration.ofSeconds(60));
        if (settings.port() != 0) {
            builder.setPort(settings.port());
        }
        Map<String, String> config = serverConfig(settings.durable());
        config.putAll(settings.serverSettings());
        config.forEach(builder::setServerConfig);
        long started = System.nanoTime();
        LocalPostgres postgres = new LocalPostgres(builder.start());
        log.info("PostgreSQL started in {} ms on port {}, data in {}",
                (System.nanoTime() - started) / 1_000_000, postgres.port(), dataDir);
        return postgres;
    }

    /** The settings every local server gets: logical decoding on, loopback only. */
    static Map<String, String> serverConfig(boolean durable) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listen_addresses", "127.0.0.1");
        config.put("wal_level", "logical");
        config.put("max_wal_senders", "40");
        config.put("max_replication_slots", "40");
        config.put("max_connections", "200");
        config.put("max_worker_processes", "16");
        config.put("shared_buffers", "128MB");
        if (!durable) {
            config.put("fsync", "off");
            config.put("synchronous_commit", "off");
            config.put("full_page_writes", "off");
        }
        return config;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** The host the server listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** Stops the server; its data directory is removed if the settings asked for it. */
    @Override
    public void close() throws IOException {
        server.close();
        log.info("PostgreSQL on port {} stopped", port());
    }
}
