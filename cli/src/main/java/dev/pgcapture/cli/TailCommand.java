package dev.pgcapture.cli;

import dev.pgcapture.consumer.Change;
import dev.pgcapture.consumer.Consumer;
import dev.pgcapture.consumer.ConsumerException;
import dev.pgcapture.consumer.ConsumerOptions;
import dev.pgcapture.consumer.DecodeErrorPolicy;
import dev.pgcapture.consumer.Handlers;
import dev.pgcapture.consumer.PgCapture;
import dev.pgcapture.consumer.Row;
import dev.pgcapture.core.DeliveryMode;
import dev.pgcapture.core.grpc.ClientSecurity;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture tail}: a consumer that prints each change of a URI as one JSON line and
 * acknowledges it, built on the consumer SDK.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Print each change of a consumer URI as one JSON line (operation, table, checkpoint, commit time, "
                + "new and old row) and acknowledge it. Stops after --max changes, or on Ctrl-C.",
            "tail is a consumer of the URI like any other: what it acknowledges is gone from the URI's subscription. "
                + "Give it a URI of its own to watch a topic without taking changes from another consumer."})
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", defaultValue = StandaloneCommand.DEFAULT_GATEWAY,
            description = "The gateway (the default is where pgcapture standalone serves it).")
    String gateway;

    @Option(names = "--uri", paramLabel = "URI", description = "The consumer URI (required).")
    String uri;

    @Option(names = "--table-regex", paramLabel = "REGEX",
            description = "Only tables whose name (without schema) contains a match, e.g. '^orders$'.")
    String tableRegex;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exact",
            description = "Delivery mode: exact (in commit order; one consumer of the URI at a time, a second waits as a standby) or shared (pgcapture's).")
    String mode;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "Stop after N changes (0: run until Ctrl-C).")
    long max;

    @Option(names = "--on-decode-error", paramLabel = "POLICY", defaultValue = "requeue",
            description = "A change with a value that cannot be decoded: requeue it (and wait for it) or skip it. "
                    + "Either way it is reported on stderr.")
    String onDecodeError;

    @Mixin
    ClientSecurityOptions clientSecurity;

    @Override
    public Integer call() throws Exception {
        HostPort address = OptionValues.parse(spec, "", () -> HostPort.parse("--gateway",
                OptionValues.required(spec, gateway, "--gateway=HOST:PORT", "PGCAPTURE_GATEWAY"), "127.0.0.1"));
        ConsumerOptions options = options();
        ClientSecurity security = clientSecurity.security();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ManagedChannel channel = security.open(address.toString());
        AtomicLong printed = new AtomicLong();
        Consumer consumer = PgCapture.newConsumer(channel, options);
        Thread stopOnSignal = new Thread(consumer::close, "tail-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            consumer.consume(Handlers.builder().otherTables((Change<Row> change) -> {
                out.println(change.toJson());
                out.flush();
                if (max > 0 && printed.incrementAndGet() >= max) {
                    consumer.close();
                }
            }).build());
            return 0;
        } catch (ConsumerException e) {
            err.println("pgcapture tail: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook closes the consumer
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private ConsumerOptions options() throws Exception {
        if (max < 0) {
            throw new ParameterException(spec.commandLine(), "--max must be 0 or more, was " + max);
        }
        String consumerUri = OptionValues.required(spec, uri, "--uri=URI", "PGCAPTURE_URI");
        DeliveryMode deliveryMode = OptionValues.parse(spec, "--mode: ", () -> DeliveryMode.parse(mode));
        DecodeErrorPolicy policy = switch (onDecodeError.toLowerCase(java.util.Locale.ROOT)) {
            case "requeue" -> DecodeErrorPolicy.REQUEUE;
            case "skip" -> DecodeErrorPolicy.SKIP;
            default -> throw new ParameterException(spec.commandLine(),
                    "--on-decode-error must be requeue or skip, was \"" + onDecodeError + "\"");
        };
        try {
            ConsumerOptions.Builder builder = ConsumerOptions.builder(consumerUri)
                    .mode(deliveryMode)
                    .onDecodeError(policy)
                    .decodeErrorListener(error -> {
                        spec.commandLine().getErr().println("pgcapture tail: " + error);
                        spec.commandLine().getErr().flush();
                    });
            if (tableRegex != null && !tableRegex.isEmpty()) {
                builder.tableRegex(tableRegex);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
