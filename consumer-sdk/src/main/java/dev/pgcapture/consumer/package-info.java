/**
 * The consumer SDK: turns a gateway's {@code Capture} stream into typed Java objects of
 * annotated model classes, and acknowledges or requeues each change.
 */
package dev.pgcapture.consumer;
