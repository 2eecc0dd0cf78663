package dev.socketconnector.autoconfigure;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Published once per state transition of a managed endpoint ({@code connect-on-startup}),
 * in order. Published synchronously on the thread that saw the change (usually a
 * connector event-loop thread): a listener must not block; use {@code @Async} or hand the
 * work off for anything slow.
 */
public final class EndpointStateChangedEvent extends ApplicationEvent {

    private final transient ManagedEndpoint endpoint;

    /** The state before the transition. */
    private final EndpointState previous;

    /** The state after the transition. */
    private final EndpointState state;

    private final transient @Nullable Throwable cause;

    /**
     * Creates the event.
     * @param endpoint the endpoint, the event's source
     * @param previous the state before
     * @param state the state now
     * @param cause why, or null
     */
    public EndpointStateChangedEvent(ManagedEndpoint endpoint, EndpointState previous, EndpointState state,
            @Nullable Throwable cause) {
        super(endpoint);
        this.endpoint = endpoint;
        this.previous = previous;
        this.state = state;
        this.cause = cause;
    }

    /**
     * {@return the endpoint: the object {@link SocketEndpointRegistry} lists}
     */
    public ManagedEndpoint endpoint() {
        return this.endpoint;
    }

    /**
     * {@return the state before the transition}
     */
    public EndpointState previous() {
        return this.previous;
    }

    /**
     * {@return the state after the transition}
     */
    public EndpointState state() {
        return this.state;
    }

    /**
     * {@return why: the connect failure or the error that closed the socket, or null}
     */
    public @Nullable Throwable cause() {
        return this.cause;
    }

    @Override
    public String toString() {
        return "EndpointStateChangedEvent[" + this.endpoint.name() + ": " + this.previous.value() + " -> "
                + this.state.value() + "]";
    }

}
