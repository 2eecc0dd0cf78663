package dev.socketconnector.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import dev.socketconnector.EndpointStateListener;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReconnectPolicy;

/**
 * A connector's managed endpoints, by name, in the order they were managed: what
 * {@code manage(...)} creates, {@code managedEndpoints()} lists, and the connector's
 * close closes first.
 */
final class ManagedEndpoints {

    private final NettySocketConnector connector;

    private final Supplier<ScheduledExecutorService> schedulers;

    private final Set<String> definedNames;

    private final Map<String, DefaultManagedEndpoint> endpoints = new LinkedHashMap<>();

    /**
     * Creates the registry.
     * @param connector the connector
     * @param schedulers hands out the event loop an endpoint schedules its reconnects on
     * @param definedNames the endpoint names registered on the builder
     */
    ManagedEndpoints(NettySocketConnector connector, Supplier<ScheduledExecutorService> schedulers,
            Set<String> definedNames) {
        this.connector = connector;
        this.schedulers = schedulers;
        this.definedNames = definedNames;
    }

    ManagedEndpoint manage(String name, ReconnectPolicy policy, EndpointStateListener... listeners) {
        Objects.requireNonNull(name, "endpointName");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(listeners, "listeners");
        if (!this.definedNames.contains(name)) {
            throw new IllegalArgumentException(
                    "endpoint '" + name + "' is not defined; defined endpoints: " + this.definedNames);
        }
        DefaultManagedEndpoint endpoint;
        synchronized (this.endpoints) {
            if (this.connector.isClosed()) {
                throw new IllegalStateException("the connector is closed");
            }
            if (this.endpoints.containsKey(name)) {
                throw new IllegalStateException("endpoint '" + name + "' is already managed");
            }
            endpoint = new DefaultManagedEndpoint(name, this.connector, policy, this.schedulers.get(), this::remove);
            this.endpoints.put(name, endpoint);
        }
        endpoint.start(listeners);
        return endpoint;
    }

    List<ManagedEndpoint> list() {
        synchronized (this.endpoints) {
            return List.copyOf(this.endpoints.values());
        }
    }

    private void remove(DefaultManagedEndpoint endpoint) {
        synchronized (this.endpoints) {
            this.endpoints.remove(endpoint.name(), endpoint);
        }
    }

    /**
     * Closes every managed endpoint (called when the connector closes, before its sockets
     * end).
     */
    void closeAll() {
        List<DefaultManagedEndpoint> all;
        synchronized (this.endpoints) {
            all = new ArrayList<>(this.endpoints.values());
        }
        for (DefaultManagedEndpoint endpoint : all) {
            endpoint.close();
        }
    }

}
