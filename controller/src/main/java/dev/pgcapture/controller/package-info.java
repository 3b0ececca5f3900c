/**
 * The dump controller: holds dump schedules durably and hands their chunks out, one at a time,
 * to the gateway streams of the consumers that asked for them ({@code DBLogController}).
 */
package dev.pgcapture.controller;
