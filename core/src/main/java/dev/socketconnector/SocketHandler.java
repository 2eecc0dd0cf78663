package dev.socketconnector;

import dev.socketconnector.internal.DefaultErrorHandler;
import org.jspecify.annotations.Nullable;

/**
 * Receives a socket's events, as the {@code socket} handlers of Bun's {@code connect()}.
 * <p>
 * <b>Threads and order.</b> One socket's callbacks run on that socket's event-loop
 * thread, one at a time, in Bun's order: [{@code handshake}] {@code open} ({@code data} |
 * {@code drain} | {@code timeout})* [{@code end}] {@code close}. {@code close} fires
 * exactly once for every socket that opened and never for one that failed to connect; a
 * failed connect calls only {@code connectError}. Callbacks must not block: they run on a
 * Netty event loop shared with other sockets. Hand blocking work to an executor.
 * <p>
 * <b>Exceptions.</b> An exception thrown by a callback goes to
 * {@link #error(Socket, Throwable)} and the socket stays open, except one thrown by
 * {@code open}: then the socket closes and the connect future fails with it (<b>safer
 * than Bun</b>, which resolves with a closed socket). The default {@code error} logs the
 * exception and closes the socket with it as {@code close}'s error. An exception thrown
 * by {@code error} itself is logged and never reaches Netty. If {@code connectError}
 * throws, the connect future fails with what it threw.
 * <p>
 * Every method has an empty default (except {@code error}, see above), so a handler
 * overrides only what it needs.
 *
 * @param <D> the type of the socket's {@link Socket#data() data}
 */
public interface SocketHandler<D> {

    /**
     * Called once when the socket is connected (for TLS: after a successful handshake),
     * before the connect future completes.
     * @param socket the socket
     */
    default void open(Socket<D> socket) {
    }

    /**
     * Called for bytes received; consecutive peer writes may arrive coalesced. With a
     * {@link Framing} other than {@code none()}, called once per whole frame with its
     * payload (an empty frame as an empty array).
     * @param socket the socket
     * @param data a fresh array that belongs to the handler
     */
    default void data(Socket<D> socket, byte[] data) {
    }

    /**
     * Called once the outbound buffer has fallen below the low-water mark after a write
     * that was not fully accepted: the signal to write the rest. It may fire before the
     * connect future's continuations run (a short write in {@code open} can be drained in
     * the same event-loop task, before the future completes).
     * @param socket the socket
     */
    default void drain(Socket<D> socket) {
    }

    /**
     * Called when the peer's FIN arrives, or on TLS its close_notify, whichever comes
     * first (Node's rule), at most once, on the socket's event-loop thread. Unless
     * {@code allowHalfOpen} is set, the socket closes right after this returns (writes
     * made here are still delivered first; on TLS the close answers the peer's
     * close_notify with ours). With {@code allowHalfOpen} it stays open and writable
     * until {@code end()} or {@code shutdown()}, except after a close_notify with the
     * OpenSSL provider, whose engine closes both directions: {@code write} then returns
     * -1 and the socket closes after this returns. Not called after the socket's own
     * {@code shutdown()}.
     * @param socket the socket
     */
    default void end(Socket<D> socket) {
    }

    /**
     * Called exactly once when an opened socket has closed.
     * @param socket the socket, now {@link ReadyState#CLOSED}
     * @param error the transport failure that closed it (such as a
     * {@link SocketTransportException} with {@code ECONNRESET}, or {@code ETIMEDOUT} when
     * the connector's shutdown timeout terminated it with accepted bytes still unsent),
     * or null for a clean close, {@code end()}, {@code terminate()}, a timeout or a TLS
     * failure
     */
    default void close(Socket<D> socket, @Nullable Throwable error) {
    }

    /**
     * Called with an exception thrown by another callback, or a TLS failure after the
     * handshake (then {@code close} follows). The default logs the exception and closes
     * the socket with it as {@code close}'s error.
     * @param socket the socket
     * @param error the exception
     */
    default void error(Socket<D> socket, Throwable error) {
        DefaultErrorHandler.error(socket, error);
    }

    /**
     * Called when the deadline set with {@link Socket#timeout(int)} passes; the socket
     * then closes.
     * @param socket the socket
     */
    default void timeout(Socket<D> socket) {
    }

    /**
     * Called once when the connect fails, before the connect future fails with an equal
     * error. No other callback fires for the socket.
     * @param socket a socket whose state is {@link ReadyState#CLOSED} and whose data is
     * the data option
     * @param error a {@link SocketConnectException} with Node's code (a failed TLS
     * handshake is reported through {@code handshake} and {@code close} instead)
     */
    default void connectError(Socket<D> socket, Throwable error) {
    }

    /**
     * Called once the TLS handshake has finished, before {@code open}.
     * @param socket the socket
     * @param success whether the socket will open: the handshake completed and the peer
     * was authorized, or {@code rejectUnauthorized} is false (then true with a non-null
     * {@code authorizationError}, where Bun passes false and keeps the socket open)
     * @param authorizationError why the peer was not authorized (a
     * {@link TlsAuthorizationException}), or the handshake failure; null when authorized
     */
    default void handshake(Socket<D> socket, boolean success, @Nullable Throwable authorizationError) {
    }

}
