package dev.socketconnector.autoconfigure;

import dev.socketconnector.ManagedEndpoint;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The managed endpoints: every {@code socket.connector.endpoints.<name>} with
 * {@code connect-on-startup} set, which the application connects once it has started and
 * keeps connected. A bean; health and actuator read endpoint state through it.
 */
public interface SocketEndpointRegistry {

    /**
     * {@return every managed endpoint by name, in configuration order}
     */
    Map<String, ManagedEndpoint> endpoints();

    /**
     * Returns the managed endpoint with this name.
     * @param name the endpoint name
     * @return the endpoint, or null if no connect-on-startup endpoint has that name
     */
    @Nullable ManagedEndpoint endpoint(String name);

}
