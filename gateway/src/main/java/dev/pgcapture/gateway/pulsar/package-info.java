/**
 * The gateway's change source: {@link dev.pgcapture.gateway.pulsar.PulsarSource}, one Pulsar
 * subscription per consumer URI on a capture topic, opened by
 * {@link dev.pgcapture.gateway.pulsar.PulsarSources}, which refuses a subscription consumed in
 * the other delivery mode.
 */
package dev.pgcapture.gateway.pulsar;
