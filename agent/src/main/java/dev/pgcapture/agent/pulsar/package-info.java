/**
 * The capture agent's Pulsar side: {@link dev.pgcapture.agent.pulsar.PulsarSink} publishes a
 * change stream to one non-partitioned, deduplicated topic in {@link dev.pgcapture.core.TopicFormat},
 * and {@link dev.pgcapture.agent.pulsar.TopicReader} reads such a topic back.
 */
package dev.pgcapture.agent.pulsar;
