package dev.socketconnector;

/**
 * The state of a {@link ManagedEndpoint}. An endpoint is born {@link #STOPPED}, moves to
 * {@link #CONNECTING} when {@link SocketConnector#manage(String)} returns, and ends
 * {@link #STOPPED} after {@link ManagedEndpoint#close()}.
 */
public enum EndpointState {

    /** A connect is in progress. */
    CONNECTING("connecting"),

    /**
     * A socket is open and its handler's {@code open} has returned;
     * {@link ManagedEndpoint#socket()} returns it.
     */
    CONNECTED("connected"),

    /**
     * The last connect failed or the connection dropped; the next attempt is scheduled.
     */
    BACKING_OFF("backing-off"),

    /**
     * Not connected and not trying: before the first attempt, after {@code close()}, or
     * reconnect disabled.
     */
    STOPPED("stopped");

    private final String value;

    EndpointState(String value) {
        this.value = value;
    }

    /**
     * {@return the state's text in JSON and in meter tags: "connecting", "connected",
     * "backing-off", "stopped"}
     */
    public String value() {
        return this.value;
    }

}
