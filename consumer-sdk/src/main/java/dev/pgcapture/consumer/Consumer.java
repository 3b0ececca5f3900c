package dev.pgcapture.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Placeholder: the consumer runtime. */
public final class Consumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Consumer.class);

    static final DecodeErrorListener LOG_DECODE_ERRORS = error -> log.warn("{}", error);

    @Override
    public void close() {
    }
}
