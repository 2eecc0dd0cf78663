package dev.socketconnector.autoconfigure.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Reports every connect as a Micrometer {@link Observation} named {@value #CONNECT}, and
 * a TLS connect's handshake as a child observation named {@value #HANDSHAKE}, so
 * Micrometer Tracing shows a span per connect (a child of the observation current on the
 * thread that called {@code connect}) with the handshake inside it.
 * <p>
 * Low-cardinality keys are the connect timer's tags: {@code endpoint}, {@code tls} and
 * {@code outcome} ({@code endpoint} and {@code outcome} = success | failure for the
 * handshake); the dialled address is only a high-cardinality key
 * ({@code remote.address}). The connect observation also gets an event,
 * {@value #HANDSHAKE_EVENT} or {@value #HANDSHAKE_FAILED_EVENT}, and the handshake's
 * duration as the {@code tls.handshake.duration} high-cardinality key. Start and end are
 * paired by the socket the connector passes to every observer call, so concurrent
 * connects never mix.
 */
public final class SocketConnectorObservations implements SocketObserver {

    /** The prefix of both observations' names. */
    public static final String NAME_PREFIX = "socket.connector.client.";

    /** The name of the connect observation. */
    public static final String CONNECT = "socket.connector.client.connect";

    /** The name of the TLS handshake observation, a child of the connect observation. */
    public static final String HANDSHAKE = "socket.connector.client.handshake";

    /** The event added to a TLS connect's observation when the handshake succeeded. */
    public static final String HANDSHAKE_EVENT = "tls.handshake";

    /**
     * The event added to a TLS connect's observation when the handshake or the peer's
     * authorization failed.
     */
    public static final String HANDSHAKE_FAILED_EVENT = "tls.handshake.failed";

    private final Supplier<ObservationRegistry> registry;

    private final Map<Socket<?>, Observation> connects = new ConcurrentHashMap<>();

    private final Map<Socket<?>, Observation> handshakes = new ConcurrentHashMap<>();

    /**
     * Creates the observer.
     * @param registry supplies the registry, read at each connect (so it may be resolved
     * lazily)
     */
    public SocketConnectorObservations(Supplier<ObservationRegistry> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void connecting(Socket<?> socket, @Nullable String endpoint, boolean tls, String target) {
        ObservationRegistry registry = this.registry.get();
        if (registry.isNoop()) {
            return;
        }
        Observation observation = Observation.createNotStarted(CONNECT, registry)
            .contextualName("socket connect")
            .lowCardinalityKeyValue("endpoint", tag(endpoint))
            .lowCardinalityKeyValue("tls", Boolean.toString(tls))
            .highCardinalityKeyValue("remote.address", target)
            .start();
        this.connects.put(socket, observation);
    }

    @Override
    public void handshakeStarted(Socket<?> socket, @Nullable String endpoint) {
        Observation connect = this.connects.get(socket);
        if (connect == null) {
            return;
        }
        Observation handshake = Observation.createNotStarted(HANDSHAKE, this.registry.get())
            .contextualName("tls handshake")
            .parentObservation(connect)
            .lowCardinalityKeyValue("endpoint", tag(endpoint))
            .start();
        this.handshakes.put(socket, handshake);
    }

    @Override
    public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed, @Nullable Throwable failure) {
        Observation handshake = this.handshakes.remove(socket);
        if (handshake != null) {
            handshake.lowCardinalityKeyValue("outcome", (failure != null) ? "failure" : "success");
            if (failure != null) {
                handshake.error(failure);
            }
            handshake.stop();
        }
        Observation connect = this.connects.get(socket);
        if (connect != null) {
            connect.highCardinalityKeyValue("tls.handshake.duration", elapsed.toString());
            connect.event(Observation.Event.of((failure != null) ? HANDSHAKE_FAILED_EVENT : HANDSHAKE_EVENT));
        }
    }

    @Override
    public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
        Observation observation = this.connects.remove(socket);
        if (observation != null) {
            observation.lowCardinalityKeyValue("outcome", ConnectOutcome.SUCCESS.value()).stop();
        }
    }

    @Override
    public void connectFailed(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed,
            Throwable cause) {
        Observation handshake = this.handshakes.remove(socket);
        if (handshake != null) {
            // the connect failed while the handshake was still running (a timeout, a
            // reset)
            handshake.lowCardinalityKeyValue("outcome", "failure").error(cause).stop();
        }
        Observation observation = this.connects.remove(socket);
        if (observation != null) {
            observation.lowCardinalityKeyValue("outcome", ConnectOutcome.of(cause).value()).error(cause).stop();
        }
    }

    private static String tag(@Nullable String endpoint) {
        return (endpoint != null) ? endpoint : SocketConnectorMetrics.NO_ENDPOINT;
    }

}
