package dev.socketconnector.autoconfigure.actuate;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code socketConnector} health contributor
 * ({@link SocketConnectorHealthIndicator}) when Spring Boot's health module is present;
 * {@code management.health.socketconnector.enabled=false} turns it off.
 */
@AutoConfiguration(after = SocketConnectorAutoConfiguration.class)
@ConditionalOnClass({ SocketConnector.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(SocketEndpointRegistry.class)
public final class SocketConnectorHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("socketconnector")
    @ConditionalOnMissingBean(name = { "socketConnectorHealthIndicator", "socketConnectorHealthContributor" })
    SocketConnectorHealthIndicator socketConnectorHealthIndicator(SocketEndpointRegistry endpoints) {
        return new SocketConnectorHealthIndicator(endpoints);
    }

}
