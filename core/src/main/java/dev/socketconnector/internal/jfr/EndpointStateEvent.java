package dev.socketconnector.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A managed endpoint's state change (for example {@code CONNECTED} to
 * {@code BACKING_OFF}).
 */
@Name(EndpointStateEvent.NAME)
@Label("Socket Endpoint State")
@Category("socket-connector")
@Description("A managed endpoint changed state")
@StackTrace(false)
@Enabled(false)
public final class EndpointStateEvent extends jdk.jfr.Event {

    /** The event's name in a recording. */
    public static final String NAME = "dev.socketconnector.EndpointState";

    /** The endpoint's name. */
    @Label("Endpoint")
    public String endpoint;

    /** The state before. */
    @Label("Previous")
    public String previous;

    /** The state after. */
    @Label("State")
    public String state;

    /** Why (the error that closed the socket or failed the connect), or null. */
    @Label("Cause")
    public String cause;

    /**
     * Commits a state change when a recording enables the event; costs one check
     * otherwise.
     * @param endpoint the endpoint's name
     * @param previous the state before
     * @param state the state after
     * @param cause why, or null
     */
    public static void commit(String endpoint, String previous, String state,
            @org.jspecify.annotations.Nullable Throwable cause) {
        EndpointStateEvent event = new EndpointStateEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.endpoint = endpoint;
        event.previous = previous;
        event.state = state;
        event.cause = (cause != null) ? String.valueOf(cause.getMessage()) : null;
        event.commit();
    }

}
