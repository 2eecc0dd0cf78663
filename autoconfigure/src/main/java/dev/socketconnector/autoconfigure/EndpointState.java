package dev.socketconnector.autoconfigure;

/**
 * The state of a {@link ManagedEndpoint}.
 */
public enum EndpointState {

    /** A socket is open; {@link ManagedEndpoint#socket()} returns it. */
    CONNECTED,

    /** A connect is in progress. */
    CONNECTING,

    /** The last connect failed or the connection dropped; the next attempt is scheduled. */
    BACKING_OFF,

    /** Not connected and not trying: not started yet, reconnect disabled, or the application is stopping. */
    STOPPED
}
