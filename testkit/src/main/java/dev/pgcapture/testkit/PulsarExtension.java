package dev.pgcapture.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Apache Pulsar broker.
 *
 * <p>With {@code @ExtendWith(PulsarExtension.class)}, a test or lifecycle method may declare a
 * {@link TestPulsar} parameter: the broker shared by this JVM, with {@link TestPulsar#newTopic()}
 * for topics of the test's own.
 */
public final class PulsarExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestPulsar.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedServices.pulsar(context);
    }
}
