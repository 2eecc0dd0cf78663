package dev.socketconnector.autoconfigure.actuate;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Registers the Actuator endpoint {@code sockets} ({@link SocketsEndpoint}, with
 * {@link SocketsEndpointWebExtension} over HTTP) when Actuator is present and the
 * endpoint is available: exposed, for example with
 * {@code management.endpoints.web.exposure.include=sockets}, and not switched off with
 * {@code management.endpoint.sockets.access=none}.
 */
@AutoConfiguration(after = SocketConnectorAutoConfiguration.class)
@ConditionalOnClass({ SocketConnector.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class SocketsEndpointAutoConfiguration {

    // the endpoint condition sits on the method: a class-level one is loaded even without
    // Actuator
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(SocketConnector.class)
    @ConditionalOnAvailableEndpoint
    SocketsEndpoint socketsEndpoint(SocketConnector connector) {
        return new SocketsEndpoint(connector);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SocketsEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = SocketsEndpoint.class, exposure = EndpointExposure.WEB)
    SocketsEndpointWebExtension socketsEndpointWebExtension(SocketsEndpoint endpoint) {
        return new SocketsEndpointWebExtension(endpoint);
    }

}
