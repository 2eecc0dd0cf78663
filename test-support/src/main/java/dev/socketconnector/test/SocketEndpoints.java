package dev.socketconnector.test;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;

/**
 * Waits for managed ({@code connect-on-startup}) endpoints in tests, with a bounded
 * timeout and a message that says what the endpoint was doing instead.
 */
public final class SocketEndpoints {

    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private SocketEndpoints() {
    }

    /**
     * Waits until the named endpoint is {@link EndpointState#CONNECTED}.
     * @param registry the application's {@link SocketEndpointRegistry} bean
     * @param name the endpoint's name
     * @param timeout the longest wait
     * @return the endpoint, connected
     * @throws AssertionError when the registry has no such endpoint, or the timeout
     * passes first (the message gives the endpoint's state and last error)
     */
    public static ManagedEndpoint awaitConnected(SocketEndpointRegistry registry, String name, Duration timeout) {
        return awaitState(registry, name, EndpointState.CONNECTED, timeout);
    }

    /**
     * Waits until the named endpoint is in a state.
     * @param registry the application's {@link SocketEndpointRegistry} bean
     * @param name the endpoint's name
     * @param state the state to wait for
     * @param timeout the longest wait
     * @return the endpoint
     * @throws AssertionError when the registry has no such endpoint, or the timeout
     * passes first
     */
    public static ManagedEndpoint awaitState(SocketEndpointRegistry registry, String name, EndpointState state,
            Duration timeout) {
        ManagedEndpoint endpoint = registry.endpoints().get(name);
        if (endpoint == null) {
            throw new AssertionError(
                    "no managed endpoint '" + name + "' (managed endpoints: " + registry.endpoints().keySet()
                            + "); is socket.connector.endpoints." + name + ".connect-on-startup true?");
        }
        await(() -> endpoint.state() == state, timeout, () -> "endpoint '" + name + "' is " + endpoint.state()
                + ", not " + state + ", after " + timeout + " (last error: " + endpoint.lastError() + ")");
        return endpoint;
    }

    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(failure.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

}
