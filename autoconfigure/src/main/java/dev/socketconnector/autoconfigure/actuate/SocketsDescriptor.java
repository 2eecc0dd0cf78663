package dev.socketconnector.autoconfigure.actuate;

import java.util.List;

/**
 * The response of {@code GET /actuator/sockets}: every open socket.
 *
 * @param sockets the sockets, in the order the connector lists them
 */
public record SocketsDescriptor(List<SocketDescriptor> sockets) {

    /**
     * Creates the descriptor, copying the list.
     * @param sockets the sockets, in the order the connector lists them
     */
    public SocketsDescriptor {
        sockets = List.copyOf(sockets);
    }
}
