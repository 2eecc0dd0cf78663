package dev.socketconnector.autoconfigure.actuate;

import java.util.List;

import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;

/**
 * The response of {@code GET /actuator/sockets}: what the connector loaded, every open
 * socket and every managed endpoint.
 *
 * @param transport the transport the connector's event loops use (NIO, EPOLL or IO_URING;
 * never AUTO)
 * @param tlsProvider the TLS provider of a connect that does not choose one (OPENSSL or
 * JDK; never AUTO)
 * @param eventLoops the number of event loops the connector runs
 * @param sockets the sockets, in the order the connector lists them
 * @param endpoints the managed endpoints, in the order they were managed
 */
public record SocketsDescriptor(Transport transport, TlsProvider tlsProvider, int eventLoops,
        List<SocketDescriptor> sockets, List<EndpointDescriptor> endpoints) {

    /**
     * Creates the descriptor, copying the lists.
     * @param transport the transport the connector's event loops use
     * @param tlsProvider the TLS provider of a connect that does not choose one
     * @param eventLoops the number of event loops
     * @param sockets the sockets, in the order the connector lists them
     * @param endpoints the managed endpoints, in the order they were managed
     */
    public SocketsDescriptor {
        sockets = List.copyOf(sockets);
        endpoints = List.copyOf(endpoints);
    }

}
