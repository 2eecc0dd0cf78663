package dev.socketconnector.autoconfigure.actuate;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketConnector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code sockets}: lists the connector's open sockets and managed
 * endpoints (the {@code endpoints} array), shows one socket by id, and closes one by id.
 * Over HTTP: {@code GET /actuator/sockets}, {@code GET /actuator/sockets/{id}} (404 when
 * unknown) and {@code DELETE /actuator/sockets/{id}} ({@code ?terminate=true} to reset
 * instead of ending). It never shows a socket's {@code data()}, keys or keying material.
 * <p>
 * Read-only by default, as Boot's own endpoints that change state: the close operation
 * exists only when {@code management.endpoint.sockets.access=unrestricted} (or
 * {@code management.endpoints.access.default}) allows it; otherwise an HTTP DELETE is
 * refused (405) and closes nothing. Whoever can reach the management port can then close
 * sockets: secure it (Spring Security, a management port bound to loopback).
 */
@Endpoint(id = "sockets", defaultAccess = Access.READ_ONLY)
public final class SocketsEndpoint {

    private final SocketConnector connector;

    /**
     * Creates the endpoint.
     * @param connector the connector whose sockets it shows
     */
    public SocketsEndpoint(SocketConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /**
     * {@return the connector's transport, TLS provider and event loops, every open socket
     * and every managed endpoint}
     */
    @ReadOperation
    public SocketsDescriptor sockets() {
        List<SocketDescriptor> sockets = this.connector.sockets().stream().map(SocketDescriptor::of).toList();
        List<ManagedEndpoint> managed = this.connector.managedEndpoints();
        Map<String, SocketConnectOptions<?>> options = managed.isEmpty() ? Map.of() : this.connector.endpoints();
        List<EndpointDescriptor> endpoints = managed.stream()
            .map((endpoint) -> EndpointDescriptor.of(endpoint, options.get(endpoint.name())))
            .toList();
        return new SocketsDescriptor(this.connector.transport(), this.connector.tlsProvider(),
                this.connector.eventLoops(), sockets, endpoints);
    }

    /**
     * Returns one open socket.
     * @param id the socket's id
     * @return the socket, or null (404 over HTTP) when no open socket has that id
     */
    @ReadOperation
    public @Nullable SocketDescriptor socket(@Selector String id) {
        Socket<?> socket = this.connector.socket(id);
        return (socket != null) ? SocketDescriptor.of(socket) : null;
    }

    /**
     * Closes one socket: {@code end()} (FIN after pending writes), or {@code terminate()}
     * (reset at once) when {@code terminate} is true.
     * @param id the socket's id
     * @param terminate whether to terminate instead of ending; null means false
     * @return the socket as it was when the close began, or null when no open socket has
     * that id
     */
    @DeleteOperation
    public @Nullable SocketDescriptor close(@Selector String id, @Nullable Boolean terminate) {
        Socket<?> socket = this.connector.socket(id);
        if (socket == null) {
            return null;
        }
        SocketDescriptor descriptor = SocketDescriptor.of(socket);
        if (Boolean.TRUE.equals(terminate)) {
            socket.terminate();
        }
        else {
            socket.end();
        }
        return descriptor;
    }

}
