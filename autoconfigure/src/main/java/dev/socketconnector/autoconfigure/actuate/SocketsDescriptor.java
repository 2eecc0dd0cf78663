package dev.socketconnector.autoconfigure.actuate;

import java.util.List;

/**
 * The response of {@code GET /actuator/sockets}: every open socket and every managed endpoint.
 *
 * @param sockets the sockets, in the order the connector lists them
 * @param endpoints the managed endpoints, in the order they were managed
 */
public record SocketsDescriptor(List<SocketDescriptor> sockets, List<EndpointDescriptor> endpoints) {

    /**
     * Creates the descriptor, copying the lists.
     * @param sockets the sockets, in the order the connector lists them
     * @param endpoints the managed endpoints, in the order they were managed
     */
    public SocketsDescriptor {
        sockets = List.copyOf(sockets);
        endpoints = List.copyOf(endpoints);
    }

    /**
     * Creates the descriptor of sockets without managed endpoints.
     * @param sockets the sockets, in the order the connector lists them
     */
    public SocketsDescriptor(List<SocketDescriptor> sockets) {
        this(sockets, List.of());
    }
}
