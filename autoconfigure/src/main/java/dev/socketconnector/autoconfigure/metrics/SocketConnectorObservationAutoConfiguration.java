package dev.socketconnector.autoconfigure.metrics;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import dev.socketconnector.autoconfigure.SocketConnectorBuilderCustomizer;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Reports connects as Micrometer observations ({@link SocketConnectorObservations}) when
 * the application has an {@link ObservationRegistry}, so Micrometer Tracing shows them as
 * spans. Boot's {@code management.observations.enable.socket.connector=false} switches
 * them off.
 */
@AutoConfiguration(after = SocketConnectorAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ SocketConnector.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnSingleCandidate(SocketConnector.class)
public final class SocketConnectorObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SocketConnectorObservations socketConnectorObservations(ObjectProvider<ObservationRegistry> registry) {
        // resolved at the first connect: the registry's handlers may depend on beans
        // built after the connector
        return new SocketConnectorObservations(
                SingletonSupplier.of(() -> registry.getIfAvailable(() -> ObservationRegistry.NOOP)));
    }

    @Bean
    @ConditionalOnMissingBean(name = "socketConnectorObservationsCustomizer")
    SocketConnectorBuilderCustomizer socketConnectorObservationsCustomizer(SocketConnectorObservations observations) {
        return (builder) -> builder.addObserver(observations);
    }

}
