package dev.socketconnector.internal;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

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
     * plus Netty's buffer, read on the socket's event loop} Read from another thread, the
     * sum could count a buffer twice while the loop moves it from the queue into the
     * pipeline (writers reserving room see that same conservative sum, so they accept
     * less, never more).
     * @throws Exception when the loop does not answer within 10 s
     */
    public static long unsentBytes(Socket<?> socket) throws Exception {
        NettySocket<?> nettySocket = (NettySocket<?>) socket;
        if (nettySocket.loop.inEventLoop()) {
            return nettySocket.unsentBytes();
        }
        return nettySocket.loop.submit(nettySocket::unsentBytes).get(10, TimeUnit.SECONDS);
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
