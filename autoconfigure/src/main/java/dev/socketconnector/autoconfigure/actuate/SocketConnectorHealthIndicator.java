package dev.socketconnector.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health contributor {@code socketConnector}: DOWN while a connect-on-startup
 * endpoint is not connected (connecting, backing off between reconnects, or stopped), UP
 * otherwise, including when there is no such endpoint. Details list each managed
 * endpoint: its {@code state}, {@code reconnects}, and while it is not connected the
 * {@code lastError} message and the {@code nextAttempt} time.
 */
public final class SocketConnectorHealthIndicator extends AbstractHealthIndicator {

    private final SocketEndpointRegistry endpoints;

    /**
     * Creates the indicator.
     * @param endpoints the managed endpoints
     */
    public SocketConnectorHealthIndicator(SocketEndpointRegistry endpoints) {
        super("Socket connector health check failed");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (ManagedEndpoint endpoint : this.endpoints.endpoints().values()) {
            EndpointState state = endpoint.state();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", state.name());
            detail.put("reconnects", endpoint.reconnects());
            if (state != EndpointState.CONNECTED) {
                up = false;
                Throwable error = endpoint.lastError();
                if (error != null) {
                    detail.put("lastError", message(error));
                }
                Instant next = endpoint.nextAttempt();
                if (next != null) {
                    detail.put("nextAttempt", next.toString());
                }
            }
            details.put(endpoint.name(), detail);
        }
        if (up) {
            builder.up();
        }
        else {
            builder.down();
        }
        if (!details.isEmpty()) {
            builder.withDetail("endpoints", details);
        }
    }

    private static String message(Throwable error) {
        String message = error.getMessage();
        return (message != null) ? error.getClass().getSimpleName() + ": " + message : error.getClass().getName();
    }

}
