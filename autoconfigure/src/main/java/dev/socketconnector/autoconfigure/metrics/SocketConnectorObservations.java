package dev.socketconnector.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Reports every connect as a Micrometer {@link Observation} named {@value #CONNECT}, so Micrometer Tracing
 * shows a span per connect (a child of the observation current on the thread that called {@code connect}).
 * <p>
 * Low-cardinality keys are the connect timer's tags: {@code endpoint}, {@code tls} and {@code outcome}; the
 * dialled address is only a high-cardinality key ({@code remote.address}). A TLS connect also gets an
 * event: {@value #HANDSHAKE_EVENT} or {@value #HANDSHAKE_FAILED_EVENT}, with the handshake's duration in
 * the {@code tls.handshake.duration} high-cardinality key.
 * <p>
 * The observer SPI reports the start of a connect without the socket, so the end of a connect is matched
 * to its start by endpoint, TLS flag and start time ({@code now - elapsed}), which is exact unless two
 * connects to the same endpoint start within the same few microseconds.
 */
public final class SocketConnectorObservations implements SocketObserver {

    /** The name of the connect observation. */
    public static final String CONNECT = "socket.connector.client.connect";

    /** The event added to a TLS connect's observation when the handshake succeeded. */
    public static final String HANDSHAKE_EVENT = "tls.handshake";

    /** The event added to a TLS connect's observation when the handshake or the peer's authorization failed. */
    public static final String HANDSHAKE_FAILED_EVENT = "tls.handshake.failed";

    /** A started observation that no end has matched this long is stopped as abandoned. */
    private static final long ABANDONED_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Supplier<ObservationRegistry> registry;

    private final Map<Key, Deque<Pending>> pending = new ConcurrentHashMap<>();

    /** The handshake just reported on this event loop, for the connected/connectFailed call that follows. */
    private final ThreadLocal<@Nullable Handshake> handshake = new ThreadLocal<>();

    /**
     * Creates the observer.
     * @param registry supplies the registry, read at each connect (so it may be resolved lazily)
     */
    public SocketConnectorObservations(Supplier<ObservationRegistry> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void connecting(@Nullable String endpoint, boolean tls, String target) {
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
        long now = System.nanoTime();
        Deque<Pending> queue = this.pending.computeIfAbsent(new Key(tag(endpoint), tls), (key) -> new ArrayDeque<>());
        synchronized (queue) {
            dropAbandoned(queue, now);
            queue.add(new Pending(observation, now));
        }
    }

    @Override
    public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed, @Nullable Throwable failure) {
        this.handshake.set(new Handshake(socket, elapsed, failure));
    }

    @Override
    public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
        Handshake handshake = takeHandshake();
        Observation observation = take(endpoint, tls, elapsed);
        if (observation == null) {
            return;
        }
        if (handshake != null && handshake.socket == socket) {
            handshake.addTo(observation);
        }
        observation.lowCardinalityKeyValue("outcome", ConnectOutcome.SUCCESS.value()).stop();
    }

    @Override
    public void connectFailed(@Nullable String endpoint, boolean tls, Duration elapsed, Throwable cause) {
        Handshake handshake = takeHandshake();
        Observation observation = take(endpoint, tls, elapsed);
        if (observation == null) {
            return;
        }
        if (handshake != null && tls) {
            handshake.addTo(observation);
        }
        observation.lowCardinalityKeyValue("outcome", ConnectOutcome.of(cause).value()).error(cause).stop();
    }

    private @Nullable Handshake takeHandshake() {
        Handshake handshake = this.handshake.get();
        if (handshake != null) {
            this.handshake.remove();
        }
        return handshake;
    }

    /** Removes and returns the started observation whose start is closest to {@code now - elapsed}. */
    private @Nullable Observation take(@Nullable String endpoint, boolean tls, Duration elapsed) {
        Deque<Pending> queue = this.pending.get(new Key(tag(endpoint), tls));
        if (queue == null) {
            return null;
        }
        long startedAt = System.nanoTime() - elapsed.toNanos();
        synchronized (queue) {
            Pending best = null;
            for (Pending candidate : queue) {
                if (best == null || Math.abs(candidate.startNanos - startedAt) < Math.abs(best.startNanos - startedAt)) {
                    best = candidate;
                }
            }
            if (best == null) {
                return null;
            }
            queue.remove(best);
            return best.observation;
        }
    }

    private static void dropAbandoned(Deque<Pending> queue, long now) {
        for (Iterator<Pending> it = queue.iterator(); it.hasNext();) {
            Pending pending = it.next();
            if (now - pending.startNanos > ABANDONED_NANOS) {
                it.remove();
                pending.observation.lowCardinalityKeyValue("outcome", ConnectOutcome.ERROR.value())
                    .error(new IllegalStateException("no outcome was reported for this connect"))
                    .stop();
            }
        }
    }

    private static String tag(@Nullable String endpoint) {
        return (endpoint != null) ? endpoint : SocketConnectorMetrics.NO_ENDPOINT;
    }

    private record Key(String endpoint, boolean tls) {
    }

    private record Pending(Observation observation, long startNanos) {
    }

    private record Handshake(Socket<?> socket, Duration elapsed, @Nullable Throwable failure) {

        void addTo(Observation observation) {
            observation.highCardinalityKeyValue("tls.handshake.duration", this.elapsed.toString());
            observation.event(Observation.Event.of((this.failure != null) ? HANDSHAKE_FAILED_EVENT : HANDSHAKE_EVENT));
        }
    }
}
