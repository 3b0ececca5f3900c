package dev.pgcapture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgcapture.core.Readiness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("slot s: starting session 1"));
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        Readiness readiness = notReady::get;
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, readiness);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void ready_answers503WithTheReason_thenFlipsTo200_andBackWhenTheProcessStopsDoingItsJob() throws Exception {
        HttpResponse<String> starting = get("/health/ready");
        assertEquals(503, starting.statusCode());
        assertEquals("not ready: slot s: starting session 1\n", starting.body());

        notReady.set(Optional.empty());
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("ready\n", ready.body());

        notReady.set(Optional.of("producer p is not connected to topic t"));
        assertEquals(503, get("/health/ready").statusCode());
        assertTrue(get("/health/ready").body().contains("producer p is not connected"));
    }

    @Test
    void live_is200WhateverTheReadiness() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertEquals(200, live.statusCode());
        assertEquals("live\n", live.body());
    }

    @Test
    void metrics_servesTheRegistryInPrometheusTextFormat() throws Exception {
        Counter.builder("pgcapture.capture.rows").tag("slot", "s").register(registry).increment(3);
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals(MetricsServer.PROMETHEUS_TEXT, metrics.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(metrics.body().contains("# TYPE pgcapture_capture_rows_total counter"), metrics.body());
        assertTrue(metrics.body().contains("pgcapture_capture_rows_total{slot=\"s\"} 3.0"), metrics.body());
    }

    @Test
    void anyOtherPath_is404_andAnotherMethod_is405() throws Exception {
        for (String path : new String[] {"/", "/metrics/x", "/health", "/health/ready/", "/favicon.ico"}) {
            assertEquals(404, get(path).statusCode(), path);
        }
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void head_answersWithoutABody() throws Exception {
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/health/live")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }
}
