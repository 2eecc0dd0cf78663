package dev.socketconnector.autoconfigure.actuate;

import java.util.List;

import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;

/**
 * The response of {@code GET /actuator/sockets}: what the connector loaded, and every open socket.
 *
 * @param transport the transport the connector's event loops use (NIO, EPOLL or IO_URING; never AUTO)
 * @param tlsProvider the TLS provider of a connect that does not choose one (OPENSSL or JDK; never AUTO)
 * @param eventLoops the number of event loops the connector runs
 * @param sockets the sockets, in the order the connector lists them
 */
public record SocketsDescriptor(Transport transport, TlsProvider tlsProvider, int eventLoops,
        List<SocketDescriptor> sockets) {

    /**
     * Creates the descriptor, copying the list.
     * @param transport the transport the connector's event loops use
     * @param tlsProvider the TLS provider of a connect that does not choose one
     * @param eventLoops the number of event loops
     * @param sockets the sockets, in the order the connector lists them
     */
    public SocketsDescriptor {
        sockets = List.copyOf(sockets);
    }
}
