package dev.pgcapture.cli;

import dev.pgcapture.core.PostgresUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo of {@code pgcapture standalone --demo}: a small shop schema ({@code demo.customers},
 * {@code demo.orders}) and a steady stream of single-row transactions on it, so that a consumer
 * has changes to show at once. Orders are placed, move through their statuses and the delivered
 * ones are sometimes deleted; now and then a customer signs up.
 */
final class DemoWorkload implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoWorkload.class);

    /** The demo's tables, for messages and the commands {@code standalone} prints. */
    static final String CUSTOMERS = "demo.customers";
    static final String ORDERS = "demo.orders";

    private static final String SCHEMA = """
            CREATE SCHEMA IF NOT EXISTS demo;
            CREATE TABLE IF NOT EXISTS demo.customers (
                id         bigserial PRIMARY KEY,
                name       text NOT NULL,
                email      text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS demo.orders (
                id          bigserial PRIMARY KEY,
                customer_id bigint NOT NULL REFERENCES demo.customers,
                status      text NOT NULL,
                total       numeric(12,2) NOT NULL,
                items       jsonb NOT NULL,
                updated_at  timestamptz NOT NULL DEFAULT now());
            """;
    /** An order's statuses, in the order it goes through them, as an SQL array. */
    private static final String STATUSES = "ARRAY['placed', 'paid', 'shipped', 'delivered']";
    private static final String[] PRODUCTS = {"tea", "coffee", "mug", "kettle", "grinder", "filter"};
    private static final int INITIAL_CUSTOMERS = 100;
    private static final int INITIAL_ORDERS = 1_000;

    private final PostgresUrl source;
    private final Random random = new Random();
    private final AtomicLong transactions = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-workload");
        t.setDaemon(true);
        return t;
    });
    private Connection connection;

    private DemoWorkload(PostgresUrl source) {
        this.source = source;
    }

    /**
     * Creates the demo schema in {@code source} if it is missing, with {@value #INITIAL_CUSTOMERS}
     * customers and {@value #INITIAL_ORDERS} orders, so that a dump has rows to show.
     */
    static void createSchema(PostgresUrl source) throws SQLException {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            try (var rs = s.executeQuery("SELECT count(*) FROM demo.customers")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            s.execute("INSERT INTO demo.customers (name, email) SELECT 'customer ' || i, 'customer' || i || '@example.com' "
                    + "FROM generate_series(1, " + INITIAL_CUSTOMERS + ") i");
            s.execute("INSERT INTO demo.orders (customer_id, status, total, items) "
                    + "SELECT 1 + i % " + INITIAL_CUSTOMERS + ", (" + STATUSES + ")[1 + i % 4], "
                    + "(i % 97) * 1.25 + 3, jsonb_build_array(jsonb_build_object('product', 'tea', 'quantity', 1 + i % 3)) "
                    + "FROM generate_series(1, " + INITIAL_ORDERS + ") i");
        }
    }

    /** Starts writing {@code transactionsPerSecond} single-row transactions a second to {@code source}. */
    static DemoWorkload start(PostgresUrl source, double transactionsPerSecond) throws SQLException {
        if (!(transactionsPerSecond > 0)) {
            throw new IllegalArgumentException("--demo-rate must be above 0 transactions a second, was " + transactionsPerSecond);
        }
        DemoWorkload workload = new DemoWorkload(source);
        workload.connection = source.connect();
        long periodMicros = Math.max(1, Math.round(1_000_000 / transactionsPerSecond));
        workload.timer.scheduleAtFixedRate(workload::step, 0, periodMicros, TimeUnit.MICROSECONDS);
        log.info("demo workload: {} transactions a second on {} and {} in {}", transactionsPerSecond, CUSTOMERS, ORDERS, source);
        return workload;
    }

    /** Transactions committed so far. */
    long transactions() {
        return transactions.get();
    }

    private void step() {
        try {
            int dice = random.nextInt(100);
            if (dice < 40) {
                placeOrder();
            } else if (dice < 85) {
                advanceOrder();
            } else if (dice < 95) {
                deleteDeliveredOrder();
            } else {
                signUp();
            }
            transactions.incrementAndGet();
        } catch (SQLException e) {
            // The workload is a demo: a failed statement (a server restart, say) is logged and
            // the next tick tries again, with a new connection if this one is gone.
            log.warn("demo workload: {}", SourceOptions.message(e));
            reconnect();
        }
    }

    private void placeOrder() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO demo.orders (customer_id, status, total, items) "
                + "SELECT id, 'placed', ?, ?::jsonb FROM demo.customers ORDER BY random() LIMIT 1")) {
            String product = PRODUCTS[random.nextInt(PRODUCTS.length)];
            int quantity = 1 + random.nextInt(4);
            s.setBigDecimal(1, java.math.BigDecimal.valueOf(quantity * (200 + random.nextInt(3000)), 2));
            s.setString(2, "[{\"product\": \"" + product + "\", \"quantity\": " + quantity + "}]");
            s.executeUpdate();
        }
    }

    private void advanceOrder() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("UPDATE demo.orders SET status = (" + STATUSES + ")[array_position(" + STATUSES
                + ", status) + 1], updated_at = now() "
                + "WHERE id = (SELECT id FROM demo.orders WHERE status <> 'delivered' ORDER BY random() LIMIT 1)")) {
            s.executeUpdate();
        }
    }

    private void deleteDeliveredOrder() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "DELETE FROM demo.orders WHERE id = (SELECT min(id) FROM demo.orders WHERE status = 'delivered')")) {
            s.executeUpdate();
        }
    }

    private void signUp() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO demo.customers (name, email) VALUES (?, ?)")) {
            int n = random.nextInt(1_000_000);
            s.setString(1, "customer " + n);
            s.setString(2, "customer" + n + "@example.com");
            s.executeUpdate();
        }
    }

    private void reconnect() {
        try {
            if (connection.isValid(1)) {
                return;
            }
            connection.close();
            connection = source.connect();
        } catch (SQLException e) {
            log.debug("demo workload: cannot reconnect yet: {}", SourceOptions.message(e));
        }
    }

    /** Stops writing; the transaction under way finishes first. */
    @Override
    public void close() throws SQLException, InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        connection.close();
        log.info("demo workload stopped after {} transactions", transactions.get());
    }
}
