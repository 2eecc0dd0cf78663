package dev.socketconnector.autoconfigure.metrics;

import java.util.Map;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import dev.socketconnector.autoconfigure.SocketConnectorBuilderCustomizer;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Binds {@link SocketConnectorMetrics} to the application's meter registries when
 * Micrometer is present, and adds its observer to the auto-configured connector. Boot's
 * {@code MeterRegistryPostProcessor} binds every {@link MeterBinder} bean; the meters can
 * be switched off with {@code management.metrics.enable.socket.connector=false}.
 */
@AutoConfiguration(after = SocketConnectorAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ SocketConnector.class, MeterBinder.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(SocketConnector.class)
public final class SocketConnectorMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SocketConnectorMetrics socketConnectorMetrics(ObjectProvider<SocketConnector> connector,
            ObjectProvider<SocketEndpointRegistry> endpoints) {
        // both are resolved lazily: the connector is built after this binder, with its
        // observer
        SingletonSupplier<SocketEndpointRegistry> registry = SingletonSupplier.of(endpoints::getIfAvailable);
        return new SocketConnectorMetrics(SingletonSupplier.of(connector::getIfAvailable), () -> {
            SocketEndpointRegistry managed = registry.get();
            return (managed != null) ? managed.endpoints() : Map.of();
        });
    }

    /**
     * Keeps the meters Boot's observation handler derives from the connect and handshake
     * observations out of the registries: {@code socket.connector.connect} and
     * {@code socket.connector.tls.handshake} already measure them, once each.
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean(name = "socketConnectorObservationMeterFilter")
    MeterFilter socketConnectorObservationMeterFilter() {
        return SocketConnectorMetrics.OBSERVATION_METER_FILTER;
    }

    @Bean
    @ConditionalOnMissingBean(name = "socketConnectorMetricsCustomizer")
    SocketConnectorBuilderCustomizer socketConnectorMetricsCustomizer(SocketConnectorMetrics metrics) {
        return (builder) -> builder.addObserver(metrics.observer());
    }

}
