package dev.socketconnector;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Receives once-per-socket events, for metrics and tracing: set with
 * {@link SocketConnectorBuilder#observer(SocketObserver)}.
 * <p>
 * Methods run on the socket's event-loop thread; they must be fast and must not throw (an
 * exception is logged and dropped). Byte counts are not reported here: read
 * {@link Socket#bytesWritten()} and {@link Socket#bytesRead()}.
 */
public interface SocketObserver {

    /** An observer that does nothing. */
    SocketObserver NONE = new SocketObserver() {
    };

    /**
     * Called when a connect is about to start.
     * @param endpoint the endpoint name, or null for a connect from options
     * @param tls whether the connection uses TLS
     * @param target the address or path being dialled
     */
    default void connecting(@Nullable String endpoint, boolean tls, String target) {
    }

    /**
     * Called when a connect is about to start, with the socket it will open (not yet
     * visible to user code): the same object later passed to {@code handshakeStarted},
     * {@code handshake}, {@code connected}, {@code connectFailed} and {@code closed}, so
     * an observer can pair them exactly. The default calls
     * {@link #connecting(String, boolean, String)}.
     * @param socket the socket being connected
     * @param endpoint the endpoint name, or null for a connect from options
     * @param tls whether the connection uses TLS
     * @param target the address or path being dialled
     */
    default void connecting(Socket<?> socket, @Nullable String endpoint, boolean tls, String target) {
        connecting(endpoint, tls, target);
    }

    /**
     * Called when the TCP connection is up and the TLS handshake starts.
     * @param socket the socket
     * @param endpoint the endpoint name, or null
     */
    default void handshakeStarted(Socket<?> socket, @Nullable String endpoint) {
    }

    /**
     * Called when a socket has opened (after the TLS handshake), before its {@code open}
     * callback.
     * @param socket the socket
     * @param endpoint the endpoint name, or null for a connect from options
     * @param tls whether the connection uses TLS
     * @param elapsed the time from {@code connect()} to open, DNS and handshake included
     */
    default void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
    }

    /**
     * Called when a connect has failed, before {@code connectError}.
     * @param endpoint the endpoint name, or null
     * @param tls whether the connection used TLS
     * @param elapsed the time from {@code connect()} to the failure
     * @param cause the failure: a {@link SocketConnectException}, a TLS failure, or what
     * {@code open} threw
     */
    default void connectFailed(@Nullable String endpoint, boolean tls, Duration elapsed, Throwable cause) {
    }

    /**
     * Called when a connect has failed, with the socket that did not open; the default
     * calls {@link #connectFailed(String, boolean, Duration, Throwable)}.
     * @param socket the socket that failed to open
     * @param endpoint the endpoint name, or null
     * @param tls whether the connection used TLS
     * @param elapsed the time from {@code connect()} to the failure
     * @param cause the failure
     */
    default void connectFailed(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed,
            Throwable cause) {
        connectFailed(endpoint, tls, elapsed, cause);
    }

    /**
     * Called when a TLS handshake has finished, successfully or not.
     * @param socket the socket
     * @param endpoint the endpoint name, or null
     * @param elapsed the handshake's duration
     * @param failure the handshake or authorization failure, or null on success
     */
    default void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed, @Nullable Throwable failure) {
    }

    /**
     * Called once when an opened socket has closed, after its {@code close} callback.
     * @param socket the socket
     * @param endpoint the endpoint name, or null
     */
    default void closed(Socket<?> socket, @Nullable String endpoint) {
    }

    /**
     * Called once when an opened socket has closed, after its {@code close} callback,
     * with why; the default calls {@link #closed(Socket, String)}. The reason is one of
     * {@code local} ({@code end()}, {@code close()}, {@code terminate()} by the
     * application), {@code peer} (the peer's FIN or close_notify), {@code reset}
     * (ECONNRESET, EPIPE), {@code timeout} (closed after {@code timeout(seconds)} fired),
     * {@code idle} (no data for too long: ETIMEDOUT), {@code tls} (a TLS error after the
     * handshake), {@code error} (a handler's error or another failure closed it) or
     * {@code shutdown} (the connector closing).
     * @param socket the socket
     * @param endpoint the endpoint name, or null
     * @param reason the close reason, from the closed set above
     */
    default void closed(Socket<?> socket, @Nullable String endpoint, String reason) {
        closed(socket, endpoint);
    }

    /**
     * Returns an observer that calls this one, then {@code next}.
     * @param next the observer to call second
     * @return the combined observer
     */
    default SocketObserver andThen(SocketObserver next) {
        Objects.requireNonNull(next, "next");
        SocketObserver first = this;
        if (first == NONE) {
            return next;
        }
        if (next == NONE) {
            return first;
        }
        return new SocketObserver() {

            @Override
            public void connecting(@Nullable String endpoint, boolean tls, String target) {
                first.connecting(endpoint, tls, target);
                next.connecting(endpoint, tls, target);
            }

            @Override
            public void connecting(Socket<?> socket, @Nullable String endpoint, boolean tls, String target) {
                first.connecting(socket, endpoint, tls, target);
                next.connecting(socket, endpoint, tls, target);
            }

            @Override
            public void handshakeStarted(Socket<?> socket, @Nullable String endpoint) {
                first.handshakeStarted(socket, endpoint);
                next.handshakeStarted(socket, endpoint);
            }

            @Override
            public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
                first.connected(socket, endpoint, tls, elapsed);
                next.connected(socket, endpoint, tls, elapsed);
            }

            @Override
            public void connectFailed(@Nullable String endpoint, boolean tls, Duration elapsed, Throwable cause) {
                first.connectFailed(endpoint, tls, elapsed, cause);
                next.connectFailed(endpoint, tls, elapsed, cause);
            }

            @Override
            public void connectFailed(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed,
                    Throwable cause) {
                first.connectFailed(socket, endpoint, tls, elapsed, cause);
                next.connectFailed(socket, endpoint, tls, elapsed, cause);
            }

            @Override
            public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed,
                    @Nullable Throwable failure) {
                first.handshake(socket, endpoint, elapsed, failure);
                next.handshake(socket, endpoint, elapsed, failure);
            }

            @Override
            public void closed(Socket<?> socket, @Nullable String endpoint) {
                first.closed(socket, endpoint);
                next.closed(socket, endpoint);
            }

            @Override
            public void closed(Socket<?> socket, @Nullable String endpoint, String reason) {
                first.closed(socket, endpoint, reason);
                next.closed(socket, endpoint, reason);
            }
        };
    }

}
