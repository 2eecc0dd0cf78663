package dev.socketconnector;

/**
 * The server a socket was accepted by, as Bun's {@code socket.listener}.
 * <p>
 * Sockets opened with {@link SocketConnector#connect} have no listener:
 * {@link Socket#listener()} is {@code null} for them. The type exists for parity with
 * Bun's API.
 */
public interface SocketListener {

    /**
     * {@return the port the listener is bound to, or -1 for a unix socket listener}
     */
    int port();

    /**
     * {@return the hostname or unix path the listener is bound to}
     */
    String hostname();

}
