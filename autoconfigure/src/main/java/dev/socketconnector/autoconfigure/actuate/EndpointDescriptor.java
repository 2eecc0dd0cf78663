package dev.socketconnector.autoconfigure.actuate;

import java.time.Instant;

import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.SocketConnectOptions;
import org.jspecify.annotations.Nullable;

/**
 * A managed endpoint as {@code GET /actuator/sockets} shows it in its {@code endpoints}
 * array.
 *
 * @param name the endpoint's name
 * @param state its state's text ({@code connecting}, {@code connected},
 * {@code backing-off}, {@code stopped})
 * @param target the address or path it dials, or null when unknown
 * @param lastError the message of why it is not connected (no stack trace), or null
 * @param nextAttempt when the next attempt is due while backing off, or null
 * @param reconnects the connect attempts started after the first
 */
public record EndpointDescriptor(String name, String state, @Nullable String target, @Nullable String lastError,
        @Nullable Instant nextAttempt, long reconnects) {

    /**
     * Describes an endpoint.
     * @param endpoint the endpoint
     * @param options its current options, or null
     * @return the descriptor
     */
    public static EndpointDescriptor of(ManagedEndpoint endpoint, @Nullable SocketConnectOptions<?> options) {
        Throwable error = endpoint.lastError();
        String message = (error != null)
                ? error.getClass().getSimpleName() + ((error.getMessage() != null) ? ": " + error.getMessage() : "")
                : null;
        return new EndpointDescriptor(endpoint.name(), endpoint.state().value(),
                (options != null) ? options.target() : null, message, endpoint.nextAttempt(), endpoint.reconnects());
    }
}
