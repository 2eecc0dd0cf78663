package dev.socketconnector;

import org.jspecify.annotations.Nullable;

/**
 * Hears a {@link ManagedEndpoint}'s state changes: added with
 * {@link ManagedEndpoint#addListener} or
 * {@link SocketConnector#manage(String, ReconnectPolicy, EndpointStateListener...)}.
 * <p>
 * Each listener hears every transition exactly once, in order, one call at a time, on no
 * particular thread (the event-loop thread that saw the change, or the thread that called
 * {@code addListener}, {@code manage} or {@code close}), never while a lock is held. It
 * must not block. An exception it throws is logged at WARN and changes nothing.
 */
@FunctionalInterface
public interface EndpointStateListener {

    /**
     * Called for the endpoint's current state when the listener is added
     * ({@code previous == current}), then once per transition.
     * @param endpoint the endpoint, the object {@code manage} returned
     * @param previous the state before (equal to {@code current} only in the first call)
     * @param current the state now
     * @param cause why (the connect failure or the error that closed the socket), or null
     */
    void stateChanged(ManagedEndpoint endpoint, EndpointState previous, EndpointState current,
            @Nullable Throwable cause);

}
