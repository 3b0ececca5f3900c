package dev.pgcapture.cli;

import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every long-running command shares: where to serve metrics and health, and how to
 * log. A picocli mixin: {@code @Mixin ObservabilityOptions observability;}, then
 * {@link #start} first thing in {@code call()}.
 */
final class ObservabilityOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics at /metrics and health at /health/live and /health/ready on this address "
                    + "(an empty host listens on every interface). Default: not served.")
    String metricsListen;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "Log lines on stderr as text, or as JSON objects one per line (Elastic Common Schema).")
    String logFormat;

    /**
     * Applies the log format and, with {@code --metrics-listen}, starts serving metrics and
     * health; the registry has the JVM's meters bound either way.
     *
     * @throws ParameterException when an option's value is malformed (a usage error)
     * @throws IOException when the metrics address cannot be bound
     */
    Observability start() throws IOException {
        LogFormat format = LogFormat.parse(logFormat).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--log-format: \"" + logFormat + "\" is neither text nor json"));
        Optional<HostPort> address = metricsAddress();
        format.apply();
        return Observability.start(address);
    }

    /** Reports on the command's stderr that {@code process} could not start its metrics endpoint; returns exit code 1. */
    int failed(String process, IOException e) {
        spec.commandLine().getErr().println(process + " failed: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
    }

    /** The parsed {@code --metrics-listen}; empty when not given. */
    Optional<HostPort> metricsAddress() {
        if (metricsListen == null || metricsListen.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HostPort.parse("--metrics-listen", metricsListen, "0.0.0.0"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
