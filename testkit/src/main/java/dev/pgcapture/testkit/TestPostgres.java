package dev.pgcapture.testkit;

import dev.pgcapture.embedded.DataDirectories;
import dev.pgcapture.embedded.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real PostgreSQL server with {@code wal_level=logical}, shared by the tests of one JVM.
 * Tests do not share state on it: each asks for its own database with {@link #newDatabase()}.
 *
 * <p>Obtain it from {@link PostgresExtension}; it is started at first use and stopped when
 * the test JVM ends.
 */
public final class TestPostgres implements AutoCloseable {

    /** The system property with the PostgreSQL major the build selected (17 unless a profile says otherwise). */
    public static final String MAJOR_PROPERTY = "pgcapture.postgres.major";

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PostgresEndpoint endpoint;
    private final AutoCloseable server;
    private final Path dataDir;

    private TestPostgres(PostgresEndpoint endpoint, AutoCloseable server, Path dataDir) {
        this.endpoint = endpoint;
        this.server = server;
        this.dataDir = dataDir;
    }

    static TestPostgres start(Backend backend) throws Exception {
        return switch (backend) {
            case EMBEDDED -> Directories.startInTemporaryDirectory("pgcapture-test-pg", dataDir -> {
                LocalPostgres local = LocalPostgres.start(LocalPostgres.Settings.ephemeral(dataDir));
                return new TestPostgres(new PostgresEndpoint(local.host(), local.port(), LocalPostgres.SUPERUSER, ""), local, dataDir);
            });
            case TESTCONTAINERS -> {
                String major = System.getProperty(MAJOR_PROPERTY, "17");
                PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse("postgres:" + major))
                        .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=40",
                                "-c", "max_wal_senders=40", "-c", "max_connections=200", "-c", "fsync=off");
                container.start();
                log.info("PostgreSQL {} container started at {}", major, container.getJdbcUrl());
                yield new TestPostgres(new PostgresEndpoint(container.getHost(), container.getFirstMappedPort(),
                        container.getUsername(), container.getPassword()), container, null);
            }
        };
    }

    /** How to reach the server as its superuser. */
    public PostgresEndpoint endpoint() {
        return endpoint;
    }

    /** The server's {@code server_version_num}, e.g. 170011. */
    public int serverVersionNum() throws SQLException {
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl("postgres"));
             var rs = c.createStatement().executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    /** Creates an empty database with a unique name. */
    public TestDatabase newDatabase() throws SQLException {
        String name = "test_" + DATABASES.incrementAndGet() + "_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl("postgres"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase(endpoint, name);
    }

    @Override
    public void close() throws Exception {
        server.close();
        if (dataDir != null) {
            DataDirectories.delete(dataDir);
        }
    }
}
