package dev.socketconnector.internal;

import java.lang.reflect.Field;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.internal.tls.TlsConnection;
import dev.socketconnector.internal.tls.TlsConnections;

/**
 * Test access to the socket package's internals from the tests of other packages (the TLS
 * tests).
 */
public final class InternalAccess {

    private InternalAccess() {
    }

    /**
     * {@return the socket's TLS connection ({@code TlsConnection.PLAIN} on a plain
     * socket)}
     */
    public static TlsConnection tlsOf(Socket<?> socket) {
        return ((NettySocket<?>) socket).tls;
    }

    /**
     * {@return the bytes a socket holds: queued for its event loop (with their overhead)
     * plus Netty's buffer}
     */
    public static long unsentBytes(Socket<?> socket) {
        return ((NettySocket<?>) socket).unsentBytes();
    }

    /**
     * {@return the connector's TLS contexts}
     */
    public static TlsConnections tlsConnectionsOf(SocketConnector connector) throws ReflectiveOperationException {
        Field field = NettySocketConnector.class.getDeclaredField("tlsConnections");
        field.setAccessible(true);
        return (TlsConnections) field.get(connector);
    }

}
