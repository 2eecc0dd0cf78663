package dev.socketconnector.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when a {@code socket.connector.*} property has an invalid value or
 * the endpoints and their handlers do not fit together;
 * {@link SocketConnectorFailureAnalyzer} turns it into Boot's "APPLICATION FAILED TO
 * START" report.
 */
public final class InvalidSocketConnectorPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The full property path. */
    private final String property;

    /** The invalid value, or null when the property is missing. */
    private final @Nullable Object value;

    /** What is wrong, as a sentence. */
    private final String reason;

    /** What to do, naming the allowed values. */
    private final String action;

    /**
     * Creates the exception.
     * @param property the full property path, such as
     * {@code socket.connector.endpoints.echo.port}
     * @param value the invalid value, or null when the property is missing
     * @param reason what is wrong, as a sentence
     * @param action what to do, naming the allowed values
     */
    public InvalidSocketConnectorPropertyException(String property, @Nullable Object value, String reason,
            String action) {
        super("Invalid configuration property '" + property + "'" + ((value != null) ? " (value '" + value + "')" : "")
                + ": " + reason);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    /**
     * {@return the full property path, such as
     * {@code socket.connector.endpoints.echo.port}}
     */
    public String getProperty() {
        return this.property;
    }

    /**
     * {@return the invalid value, or null when the property is missing}
     */
    public @Nullable Object getValue() {
        return this.value;
    }

    /**
     * {@return what is wrong, as a sentence}
     */
    public String getReason() {
        return this.reason;
    }

    /**
     * {@return what to do about it, naming the allowed values}
     */
    public String getAction() {
        return this.action;
    }

}
