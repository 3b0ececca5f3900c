/**
 * {@code pgcapture seed}: brings an empty logical replica to a consistent copy of the source
 * and records the exact source LSN it corresponds to ({@link dev.pgcapture.agent.seed.Seeder}).
 *
 * <p>A temporary logical slot exports a snapshot and its consistent point {@code cp}; every
 * table is created from the structure read inside that snapshot and copied inside it with
 * {@code COPY}; the replica then takes every transaction whose commit LSN is {@code >= cp}
 * from the topic. The SQL lives in {@code seed.sql} beside these classes.
 */
package dev.pgcapture.agent.seed;
