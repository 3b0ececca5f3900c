package dev.pgcapture.bench;

/** How the reports describe the Debezium peer. */
final class DebeziumReport {

    private DebeziumReport() {
    }

    static String peerDescription() {
        return "Debezium's embedded engine (`debezium-embedded` and `debezium-connector-postgres` " + debeziumVersion()
                + ", Kafka Connect " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ") in this JVM: PostgreSQL connector,"
                + " `plugin.name=pgoutput` (text format: Debezium does not ask for binary), pgcapture's publication, its own slot,"
                + " `snapshot.mode=no_data`, offsets in memory committed after every batch (`offset.flush.interval.ms=0`),"
                + " `poll.interval.ms=5`, otherwise default settings; its change consumer only counts the records of the table and marks"
                + " every record processed. Timed from the engine's start until the batch holding the load's last change record was"
                + " marked finished (\"acknowledged\" = marked processed by the consumer; the slot's confirmed position is not waited"
                + " for, see below).";
    }

    static String debeziumVersion() {
        Package p = io.debezium.engine.DebeziumEngine.class.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version != null ? version : "3.6.1.Final";
    }
}
