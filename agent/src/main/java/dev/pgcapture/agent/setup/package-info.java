/**
 * Setting up a source database for capture and checking it: {@link
 * dev.pgcapture.agent.setup.CaptureSetup} ({@code pgcapture init} and {@code init --drop}),
 * {@link dev.pgcapture.agent.setup.Preflight} ({@code pgcapture check}) and {@link
 * dev.pgcapture.agent.setup.DdlLogs}, the table the DDL event triggers write.
 *
 * <p>The SQL lives in {@code setup.sql} beside these classes.
 */
package dev.pgcapture.agent.setup;
