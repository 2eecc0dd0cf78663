package dev.socketconnector;

/**
 * The state of a {@link Socket}, as Bun's string states (Bun itself reports numbers).
 */
public enum ReadyState {

    /**
     * Connected and visible to user code, including half-closed states and the TLS
     * handshake callback.
     */
    OPEN("open"),

    /**
     * {@code end()} or {@code shutdown(true)} was called and the channel has not closed
     * yet.
     */
    CLOSING("closing"),

    /** Closed, or never connected (the state seen inside {@code connectError}). */
    CLOSED("closed");

    private final String value;

    ReadyState(String value) {
        this.value = value;
    }

    /**
     * {@return Bun's literal for this state, such as {@code "open"}}
     */
    public String value() {
        return this.value;
    }

}
