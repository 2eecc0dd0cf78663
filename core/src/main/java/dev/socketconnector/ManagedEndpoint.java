package dev.socketconnector;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A named endpoint the connector keeps connected
 * ({@link SocketConnector#manage(String, ReconnectPolicy)}): it connects, reconnects with
 * backoff after any connect failure or drop, and tells its listeners about every state
 * change.
 * <p>
 * Thread-safe; each getter returns a snapshot that may change right after. The endpoint
 * learns of its socket's close from the connector, so
 * {@link Socket#reload(SocketHandler)} on its socket changes the handler and never the
 * endpoint's bookkeeping; the next socket gets the endpoint's configured handler again.
 */
public interface ManagedEndpoint extends AutoCloseable {

    /**
     * {@return the endpoint's name, as registered on the connector's builder}
     */
    String name();

    /**
     * {@return the current state}
     */
    EndpointState state();

    /**
     * {@return the open socket while {@link EndpointState#CONNECTED}, null otherwise}
     */
    @Nullable Socket<?> socket();

    /**
     * {@return why the endpoint is not connected: the last connect failure or the error
     * that closed the last socket; null while connected, before the first failure, and
     * after a clean close}
     */
    @Nullable Throwable lastError();

    /**
     * {@return when the next connect attempt is due while
     * {@link EndpointState#BACKING_OFF}, null otherwise}
     */
    @Nullable Instant nextAttempt();

    /**
     * {@return the number of connect attempts started after the first one}
     */
    long reconnects();

    /**
     * While {@link EndpointState#BACKING_OFF}: starts the next attempt now, without
     * resetting the backoff. Does nothing in any other state.
     */
    void reconnectNow();

    /**
     * Returns the next {@link EndpointState#CONNECTED} socket: a completed future while
     * connected. The future completes on the socket's event-loop thread; it fails with
     * the endpoint's last error if the endpoint is closed first, or with an
     * {@link IllegalStateException} naming the endpoint when there is none.
     * @return the future
     */
    CompletableFuture<Socket<?>> whenConnected();

    /**
     * Adds a listener: it hears the current state at once ({@code previous == current}),
     * then every change.
     * @param listener the listener
     * @return a handle whose {@code close()} removes the listener
     */
    AutoCloseable addListener(EndpointStateListener listener);

    /**
     * Writes through the current socket while {@link EndpointState#CONNECTED}
     * ({@link Socket#write(byte[])}). Otherwise, with
     * {@link ReconnectPolicy#offlineBufferSize()} 0, returns -1; with a buffer, accepts
     * bytes up to its size and sends them in order right after the next socket's
     * {@code open} has returned, before any newer write through the endpoint.
     * @param data the bytes
     * @return the number of bytes accepted (0 once the buffer is full), or -1
     */
    int write(byte[] data);

    /**
     * Writes the string as UTF-8, as {@link #write(byte[])}.
     * @param data the text
     * @return the number of bytes accepted, or -1
     */
    int write(String data);

    /**
     * Sends a request through the current socket while {@link EndpointState#CONNECTED}
     * ({@link Socket#request(byte[])}: the endpoint's options need the
     * {@code requestReply} option). Requests pending when the socket closes fail with it;
     * they are not resent on the next socket.
     * @param payload the request frame's payload; copied
     * @return the future of the reply's payload; already failed with an
     * {@link IllegalStateException} naming the endpoint and its state when it is not
     * connected
     * @throws IllegalStateException when the connected socket has no {@code requestReply}
     * option
     */
    CompletableFuture<byte[]> request(byte[] payload);

    /**
     * Stops reconnecting and ends the current socket (FIN after pending writes): the
     * endpoint moves to {@link EndpointState#STOPPED} for good. Bytes still in the
     * offline buffer are dropped and their count logged at WARN. Idempotent.
     */
    @Override
    void close();

}
