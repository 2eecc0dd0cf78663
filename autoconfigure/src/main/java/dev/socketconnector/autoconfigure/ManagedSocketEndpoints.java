package dev.socketconnector.autoconfigure;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.socketconnector.SocketConnector;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SocketEndpointRegistry} bean: one {@link DefaultManagedEndpoint} per connect-on-startup endpoint,
 * started and stopped by {@link SocketConnectorLifecycle}. Reconnect attempts are scheduled on one daemon
 * thread that only starts connects, which never block.
 */
final class ManagedSocketEndpoints implements SocketEndpointRegistry {

    private final Map<String, DefaultManagedEndpoint> endpoints;

    private final ScheduledThreadPoolExecutor scheduler;

    ManagedSocketEndpoints(SocketConnector connector, SocketConnectorConfigurer configurer) {
        this.scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
            Thread thread = new Thread(task, "socket-connector-reconnect");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Map<String, DefaultManagedEndpoint> endpoints = new LinkedHashMap<>();
        for (EndpointDefinition definition : configurer.managedEndpoints()) {
            endpoints.put(definition.name(), new DefaultManagedEndpoint(definition, connector, this.scheduler,
                    configurer::tlsDefaults, Clock.systemUTC()));
        }
        this.endpoints = Collections.unmodifiableMap(endpoints);
    }

    @Override
    public Map<String, ManagedEndpoint> endpoints() {
        return Collections.unmodifiableMap(this.endpoints);
    }

    @Override
    public @Nullable ManagedEndpoint endpoint(String name) {
        return this.endpoints.get(name);
    }

    /** Starts connecting every endpoint, without waiting. */
    void start() {
        this.endpoints.values().forEach(DefaultManagedEndpoint::start);
    }

    /** Stops reconnecting every endpoint and the scheduler thread; open sockets stay for the connector's close. */
    void stop() {
        this.endpoints.values().forEach(DefaultManagedEndpoint::stop);
        this.scheduler.shutdownNow();
    }
}
