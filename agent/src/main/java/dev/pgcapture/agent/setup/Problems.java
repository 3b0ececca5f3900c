package dev.pgcapture.agent.setup;

import dev.pgcapture.agent.setup.Catalog.PublishedTable;
import dev.pgcapture.agent.setup.Catalog.Slot;
import dev.pgcapture.agent.setup.Catalog.UnsendableColumn;
import java.util.Optional;

/** The words for each problem init refuses and check fails on, with its ways out: said once, used by both. */
final class Problems {

    private Problems() {
    }

    static String noIdentity(PublishedTable table) {
        String why = table.replicaIdentity() == 'n'
                ? "has replica identity NOTHING"
                : "has no primary key and replica identity DEFAULT";
        return "table " + table.name().quoted() + " " + why + ": once published, UPDATE and DELETE on it fail. "
                + "Ways out: add a primary key; or --replica-identity-full (init then runs ALTER TABLE "
                + table.name().quoted() + " REPLICA IDENTITY FULL); or leave it out with --tables";
    }

    static String unsendable(UnsendableColumn column) {
        return "column " + column.column() + " of table " + column.table().quoted() + " has type " + column.type()
                + ", which binary mode cannot send (an element has no binary send function): capture would stop there. "
                + "Ways out: leave the table out with --tables; or --binary=false (text mode for the whole stream)";
    }

    /** Why an existing slot cannot be used: another plugin, or another database. */
    static Optional<String> foreignSlot(String name, Slot slot, String database) {
        if (!slot.plugin().equals("pgoutput")) {
            return Optional.of("replication slot " + name + " exists with plugin " + slot.plugin() + ", not pgoutput. "
                    + "Ways out: choose another --slot; or, if nothing uses it, SELECT pg_drop_replication_slot('" + name + "')");
        }
        if (!slot.database().equals(database)) {
            return Optional.of("replication slot " + name + " belongs to database " + slot.database() + ", not " + database
                    + ". Ways out: choose another --slot; or connect to database " + slot.database());
        }
        return Optional.empty();
    }
}
