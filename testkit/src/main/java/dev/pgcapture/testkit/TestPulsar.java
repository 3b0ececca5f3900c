package dev.pgcapture.testkit;

import dev.pgcapture.embedded.DataDirectories;
import dev.pgcapture.embedded.LocalPulsar;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.pulsar.client.admin.PulsarAdmin;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PulsarContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Apache Pulsar broker, shared by the tests of one JVM. Tests do not share state on it:
 * each asks for its own topics with {@link #newTopic()}.
 *
 * <p>Obtain it from {@link PulsarExtension}; it is started at first use and stopped when the
 * test JVM ends.
 */
public final class TestPulsar implements AutoCloseable {

    /** The Pulsar image the container backend runs: the version the build embeds. */
    static final String IMAGE = "apachepulsar/pulsar:4.0.7";

    private static final Logger log = LoggerFactory.getLogger(TestPulsar.class);

    private final String serviceUrl;
    private final String httpUrl;
    private final AutoCloseable server;
    private final Path dataDir;
    private final PulsarClient client;
    private final PulsarAdmin admin;

    private TestPulsar(String serviceUrl, String httpUrl, AutoCloseable server, Path dataDir) throws PulsarClientException {
        this.serviceUrl = serviceUrl;
        this.httpUrl = httpUrl;
        this.server = server;
        this.dataDir = dataDir;
        this.client = PulsarClient.builder().serviceUrl(serviceUrl).build();
        this.admin = PulsarAdmin.builder().serviceHttpUrl(httpUrl).build();
    }

    static TestPulsar start(Backend backend) throws Exception {
        return switch (backend) {
            case EMBEDDED -> Directories.startInTemporaryDirectory("pgcapture-test-pulsar", dataDir -> {
                LocalPulsar local = LocalPulsar.start(LocalPulsar.Settings.ephemeral(dataDir));
                return new TestPulsar(local.serviceUrl(), local.httpUrl(), local, dataDir);
            });
            case TESTCONTAINERS -> {
                // As the embedded broker: acknowledgements of single messages of a batch are kept.
                PulsarContainer container = new PulsarContainer(DockerImageName.parse(IMAGE))
                        .withEnv("PULSAR_PREFIX_acknowledgmentAtBatchIndexLevelEnabled", "true");
                container.start();
                log.info("Pulsar container started at {}", container.getPulsarBrokerUrl());
                yield new TestPulsar(container.getPulsarBrokerUrl(), container.getHttpServiceUrl(), container, null);
            }
        };
    }

    /** The binary protocol URL. */
    public String serviceUrl() {
        return serviceUrl;
    }

    /** The admin HTTP URL. */
    public String httpUrl() {
        return httpUrl;
    }

    /** A client shared by the tests of this JVM; do not close it. */
    public PulsarClient client() {
        return client;
    }

    /** An admin client shared by the tests of this JVM; do not close it. */
    public PulsarAdmin admin() {
        return admin;
    }

    /** A persistent topic name in {@code public/default} that no other test uses; created at first use. */
    public String newTopic() {
        return "persistent://public/default/test-" + UUID.randomUUID();
    }

    @Override
    public void close() throws Exception {
        admin.close();
        client.close();
        server.close();
        if (dataDir != null) {
            DataDirectories.delete(dataDir);
        }
    }
}
