package dev.pgcapture.cli;

import dev.pgcapture.agent.AgentRunner;
import dev.pgcapture.agent.Pg2Pulsar;
import dev.pgcapture.agent.capture.CaptureSettings;
import dev.pgcapture.agent.pulsar.PulsarSinkSettings;
import dev.pgcapture.core.TopicFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcapture pg2pulsar}: the capture agent. Runs until SIGTERM or Ctrl-C, then publishes
 * what it has read, confirms it to the slot and exits; exit code 1 when capture cannot go on.
 */
@Command(name = "pg2pulsar", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Capture the source database's changes (binary pgoutput from the slot) into a Pulsar topic: "
                + "every transaction in commit order, one copy of each change, DDL events in place. Run `pgcapture init` "
                + "first. Stops cleanly on SIGTERM or Ctrl-C.")
final class Pg2PulsarCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Mixin
    ObservabilityOptions observability;

    @Option(names = "--pulsar-url", paramLabel = "URL", description = "The Pulsar broker's service URL, pulsar://host:6650 (required).")
    String pulsarUrl;

    @Option(names = "--pulsar-admin-url", paramLabel = "URL",
            description = "The Pulsar broker's web service URL, http://host:8080, used to set the topic's deduplication and retention (required).")
    String pulsarAdminUrl;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "The topic: persistent://tenant/namespace/name, or a name in public/default (required).")
    String topic;

    @Option(names = "--producer-name", paramLabel = "NAME",
            description = "The producer's fixed name, which broker deduplication keys on (default: pgcapture-<topic name>).")
    String producerName;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "How long the topic keeps acknowledged messages (a replica seed replays from it), in whole minutes.")
    Duration retention;

    @Option(names = "--retention-size-mb", paramLabel = "MB",
            description = "Also cap the topic's retained size (default: no size limit).")
    Long retentionSizeMb;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", defaultValue = "" + TopicFormat.DEFAULT_MAX_MESSAGE_BYTES,
            description = "Changes larger than this are split into ordered fragments; keep it below the broker's maxMessageSize.")
    int maxMessageBytes;

    @Option(names = "--ddl-logs-keep", paramLabel = "DURATION", defaultValue = "1d", converter = DurationConverter.class,
            description = "How long DDL events stay in pgcapture.ddl_logs on the source before the agent prunes them.")
    Duration ddlLogsKeep;

    @Override
    public Integer call() throws Exception {
        Pg2Pulsar.Settings settings = settings();
        Observability observed;
        try {
            observed = observability.start();
        } catch (IOException e) {
            return observability.failed("pg2pulsar", e);
        }
        try (observed) {
            Pg2Pulsar agent = new Pg2Pulsar(settings, AgentRunner.Backoff.standard(), observed.registry());
            observed.ready(agent);
            observed.logStart("pg2pulsar capturing slot " + settings.capture().slot() + " (publication "
                    + settings.capture().publication() + ") of " + settings.source() + " to topic " + settings.sink().topic()
                    + " as producer " + settings.sink().producerName() + " at " + settings.pulsarUrl());
            return Foreground.run("pg2pulsar", agent::run, agent::stop, spec.commandLine().getErr());
        }
    }

    private Pg2Pulsar.Settings settings() {
        String fullTopic = OptionValues.required(spec, topic, "--topic=TOPIC", "PGCAPTURE_TOPIC");
        if (!fullTopic.contains("://")) {
            fullTopic = "persistent://public/default/" + fullTopic;
        }
        try {
            PulsarSinkSettings sink = PulsarSinkSettings.forTopic(fullTopic)
                    .withMaxMessageBytes(maxMessageBytes)
                    .withRetention(retention, retentionSizeMb == null ? OptionalLong.empty() : OptionalLong.of(retentionSizeMb));
            if (producerName != null) {
                sink = sink.withProducerName(producerName);
            }
            CaptureSettings capture = CaptureSettings.defaults()
                    .withSlot(source.slot).withPublication(source.publication).withBinary(source.binary);
            return new Pg2Pulsar.Settings(source.url(), capture,
                    OptionValues.required(spec, pulsarUrl, "--pulsar-url=URL", "PGCAPTURE_PULSAR_URL"),
                    OptionValues.required(spec, pulsarAdminUrl, "--pulsar-admin-url=URL", "PGCAPTURE_PULSAR_ADMIN_URL"),
                    sink, ddlLogsKeep);
        } catch (IllegalArgumentException e) {
            throw source.usage(e.getMessage());
        }
    }

}
