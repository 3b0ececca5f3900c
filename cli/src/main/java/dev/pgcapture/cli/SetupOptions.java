package dev.pgcapture.cli;

import dev.pgcapture.agent.setup.CaptureSetup;
import dev.pgcapture.core.PostgresUrl;
import dev.pgcapture.core.TableName;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code init} and {@code check} share: the source options, and which tables to publish. */
final class SetupOptions {

    @Mixin
    SourceOptions source;

    @Option(names = "--tables", paramLabel = "SCHEMA.TABLE[,…]",
            description = "Publish only these tables (pgcapture.ddl_logs is always published); default: all tables.")
    String tables;

    /** The settings these options (and the given flags) describe; a bad value is a usage error naming it. */
    CaptureSetup.Settings settings(boolean replicaIdentityFull) {
        List<TableName> tableList;
        try {
            tableList = tables == null || tables.isBlank() ? List.of() : TableName.parseList(tables);
        } catch (IllegalArgumentException e) {
            throw source.usage("--tables: " + e.getMessage());
        }
        try {
            return new CaptureSetup.Settings(source.slot, source.publication, tableList, replicaIdentityFull, source.binary);
        } catch (IllegalArgumentException e) {
            throw source.usage(e.getMessage());
        }
    }

    /** The parsed --pg-url; missing or malformed is a usage error. */
    PostgresUrl url() {
        return source.url();
    }
}
