package dev.pgcapture.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pgcapture.core.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's HTTP endpoint for operators, on the JDK's own HTTP server:
 * <ul>
 *   <li>{@code GET /metrics}: every meter of the registry in Prometheus text format 0.0.4;</li>
 *   <li>{@code GET /health/live}: 200 while the process runs;</li>
 *   <li>{@code GET /health/ready}: 200 {@code ready} when the process does its job, otherwise
 *       503 with {@code not ready: <reason>} (plain text, one line).</li>
 * </ul>
 * Any other path is 404, any method but GET and HEAD on these paths 405. Two daemon threads
 * answer; a scrape reads meters, it never blocks on the components' work.
 */
final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService threads;

    private MetricsServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Listens on {@code address} (port 0: any free port) and serves {@code registry} and
     * {@code readiness}.
     *
     * @throws IOException when the address cannot be bound
     */
    static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry, Readiness readiness) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(readiness, "readiness");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService threads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("metrics-http-", 0).factory());
        server.setExecutor(threads);
        server.createContext("/", exchange -> handle(exchange, registry, readiness));
        server.start();
        return new MetricsServer(server, threads);
    }

    /** The port listened on. */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry, Readiness readiness) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/health/live") && !path.equals("/health/ready")) {
                respond(exchange, 404, PLAIN_TEXT, "not found: " + path + " (try /metrics, /health/live or /health/ready)\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, PLAIN_TEXT, "method " + method + " not allowed: use GET\n");
                return;
            }
            switch (path) {
                case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
                case "/health/live" -> respond(exchange, 200, PLAIN_TEXT, "live\n");
                default -> {
                    Optional<String> why = readiness.whyNotReady();
                    if (why.isPresent()) {
                        respond(exchange, 503, PLAIN_TEXT, "not ready: " + why.get().replace('\n', ' ') + "\n");
                    } else {
                        respond(exchange, 200, PLAIN_TEXT, "ready\n");
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("answering {} failed", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
