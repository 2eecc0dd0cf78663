package dev.socketconnector.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.SocketConnector;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The {@link SocketEndpointRegistry} bean: on {@link #start()} it hands every
 * connect-on-startup endpoint to {@link SocketConnector#manage}, with a listener that
 * publishes an {@link EndpointStateChangedEvent} per transition; {@link #stop()} closes
 * them. The endpoints are the core's: reconnects run on the connector's event loops, no
 * thread of its own.
 */
final class ManagedSocketEndpoints implements SocketEndpointRegistry {

    private final SocketConnector connector;

    private final List<EndpointDefinition> definitions;

    private final @Nullable ApplicationEventPublisher publisher;

    private volatile Map<String, ManagedEndpoint> endpoints = Map.of();

    ManagedSocketEndpoints(SocketConnector connector, SocketConnectorConfigurer configurer,
            @Nullable ApplicationEventPublisher publisher) {
        this.connector = connector;
        this.definitions = List.copyOf(configurer.managedEndpoints());
        this.publisher = publisher;
    }

    @Override
    public Map<String, ManagedEndpoint> endpoints() {
        return this.endpoints;
    }

    @Override
    public @Nullable ManagedEndpoint endpoint(String name) {
        return this.endpoints.get(name);
    }

    /**
     * {@return the names of the connect-on-startup endpoints, in configuration order}
     */
    List<String> names() {
        List<String> names = new ArrayList<>();
        this.definitions.forEach((definition) -> names.add(definition.name()));
        return names;
    }

    /**
     * Starts managing every endpoint, without waiting for a connect; does nothing once
     * started.
     */
    synchronized void start() {
        if (!this.endpoints.isEmpty() || this.connector.isClosed()) {
            return;
        }
        Map<String, ManagedEndpoint> started = new LinkedHashMap<>();
        for (EndpointDefinition definition : this.definitions) {
            ManagedEndpoint endpoint = (this.publisher != null)
                    ? this.connector.manage(definition.name(), definition.policy(),
                            (source, previous, current, cause) -> this.publisher
                                .publishEvent(new EndpointStateChangedEvent(source, previous, current, cause)))
                    : this.connector.manage(definition.name(), definition.policy());
            started.put(definition.name(), endpoint);
        }
        this.endpoints = Collections.unmodifiableMap(started);
    }

    /** Stops every endpoint (STOPPED); the connector's close then ends what is left. */
    void stop() {
        this.endpoints.values().forEach(ManagedEndpoint::close);
    }

}
