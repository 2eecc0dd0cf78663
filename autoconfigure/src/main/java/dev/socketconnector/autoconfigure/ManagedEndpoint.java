package dev.socketconnector.autoconfigure;

import java.time.Instant;

import dev.socketconnector.Socket;
import org.jspecify.annotations.Nullable;

/**
 * A {@code connect-on-startup} endpoint that the application keeps connected: its current socket and state.
 * <p>
 * Thread-safe; each method returns a snapshot that may change right after.
 */
public interface ManagedEndpoint {

    /** {@return the endpoint's name, the key under {@code socket.connector.endpoints}} */
    String name();

    /** {@return the current state} */
    EndpointState state();

    /** {@return the open socket while {@link EndpointState#CONNECTED}, null otherwise} */
    @Nullable
    Socket<?> socket();

    /**
     * {@return why the endpoint is not connected: the last connect failure or the error that closed the last
     * socket; null while connected, before the first attempt, and after a clean close}
     */
    @Nullable
    Throwable lastError();

    /** {@return when the next connect attempt is due while {@link EndpointState#BACKING_OFF}, null otherwise} */
    @Nullable
    Instant nextAttempt();

    /** {@return the number of connect attempts started after the first one} */
    long reconnects();
}
