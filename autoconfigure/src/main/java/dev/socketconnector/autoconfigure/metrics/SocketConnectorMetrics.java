package dev.socketconnector.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReadyState;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.autoconfigure.EndpointStateChangedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;

/**
 * Binds socket-connector's meters: open sockets per endpoint and state, bytes written and
 * read per endpoint, connect and TLS handshake timers, and reconnects of managed
 * endpoints.
 * <p>
 * Tags are bounded: {@code endpoint} is the name of an endpoint the connector was built
 * with (or of a managed endpoint), {@value #NO_ENDPOINT} for a socket opened from
 * options, and {@value #OTHER_ENDPOINT} for a socket opened through
 * {@code connect(name, options)} with any other name, so application code that invents
 * names cannot grow the number of meters; {@code state} is a {@link ReadyState} value,
 * {@code outcome} and {@code tls} small fixed sets. No meter is tagged per socket or per
 * address.
 * <p>
 * The meters of a configured endpoint exist from the start (at 0); those of
 * {@value #NO_ENDPOINT} only from the first connect without an endpoint, so an
 * application that only uses named endpoints has no {@code endpoint="none"} series. That
 * needs {@link #observer()} on the connector: a binder whose observer was never asked for
 * registers the {@value #NO_ENDPOINT} meters when bound, as it cannot see such a socket
 * open.
 * <p>
 * These timers are the one source of truth for connect and handshake durations: each is
 * recorded once, with the duration core measured. The connect and handshake observations
 * ({@link SocketConnectorObservations}) would make Boot's meter observation handler
 * record the same durations again under their own names, so
 * {@link #OBSERVATION_METER_FILTER} keeps those meters out of the registry (the
 * observations still reach tracing).
 * <p>
 * Connect timers and the bytes of closed sockets need {@link #observer()} on the
 * connector ({@code SocketConnectorBuilder.addObserver}); the auto-configuration adds it.
 * Gauges and the bytes of open sockets are read from {@link SocketConnector#sockets()}
 * when a registry asks, so nothing is counted per read or write.
 */
public final class SocketConnectorMetrics implements MeterBinder, ApplicationListener<EndpointStateChangedEvent> {

    /**
     * Gauge per managed endpoint and state, tags {@code endpoint} and {@code state}: 1
     * for the current state.
     */
    public static final String ENDPOINT_STATE = "socket.connector.endpoint.state";

    /**
     * Counter of closed sockets, tags {@code endpoint} and {@code reason} (a closed set,
     * see SocketObserver).
     */
    public static final String CLOSES = "socket.connector.closes";

    /**
     * Timer of how long each opened socket stayed open, recorded at close, tag
     * {@code endpoint}.
     */
    public static final String CONNECTION_DURATION = "socket.connector.connection.duration";

    /** Gauge of sockets not yet closed, tags {@code endpoint} and {@code state}. */
    public static final String SOCKETS = "socket.connector.sockets";

    /**
     * Function counter of bytes accepted by {@code write} and {@code end}, tag
     * {@code endpoint}.
     */
    public static final String BYTES_WRITTEN = "socket.connector.bytes.written";

    /** Function counter of bytes delivered to {@code data}, tag {@code endpoint}. */
    public static final String BYTES_READ = "socket.connector.bytes.read";

    /**
     * Timer of connects until open (DNS, TCP and TLS), tags {@code endpoint},
     * {@code outcome}, {@code tls}.
     */
    public static final String CONNECT = "socket.connector.connect";

    /**
     * Timer of TLS handshakes, tags {@code endpoint} and {@code outcome} ({@code success}
     * or {@code failure}).
     */
    public static final String TLS_HANDSHAKE = "socket.connector.tls.handshake";

    /**
     * Function counter of reconnect attempts of a managed endpoint, tag {@code endpoint}.
     */
    public static final String RECONNECTS = "socket.connector.reconnects";

    /**
     * The {@code endpoint} tag of a socket opened from options rather than a named
     * endpoint.
     */
    public static final String NO_ENDPOINT = "none";

    /**
     * Denies the meters Boot's meter observation handler would derive from the
     * observations of {@link SocketConnectorObservations} (names under
     * {@code socket.connector.client.}): they duplicate {@value #CONNECT} and
     * {@value #TLS_HANDSHAKE}. The auto-configuration registers it as a bean, which Boot
     * applies to every registry.
     */
    public static final MeterFilter OBSERVATION_METER_FILTER = MeterFilter
        .denyNameStartsWith(SocketConnectorObservations.NAME_PREFIX);

    /**
     * The {@code endpoint} tag of a socket opened through {@code connect(name, options)}
     * with a name that is neither a configured nor a managed endpoint.
     */
    public static final String OTHER_ENDPOINT = "other";

    /**
     * The states a socket in {@link SocketConnector#sockets()} can be in; closed sockets
     * leave that list.
     */
    private static final List<ReadyState> GAUGED_STATES = List.of(ReadyState.OPEN, ReadyState.CLOSING);

    private final Supplier<@Nullable SocketConnector> connector;

    private final Supplier<Map<String, ManagedEndpoint>> managedEndpoints;

    private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    private final Map<String, ManagedEndpoint> managedRegistered = new ConcurrentHashMap<>();

    private final Object registration = new Object();

    private final SocketObserver observer = new MetricsObserver();

    /**
     * Whether {@link #observer()} was handed out (to be added to the connector's
     * builder).
     */
    private volatile boolean observed;

    /**
     * The connector's endpoint names, read once the connector exists (they are fixed when
     * it is built).
     */
    private volatile @Nullable Set<String> configuredNames;

    /**
     * Creates the binder.
     * @param connector supplies the connector whose sockets are counted; read lazily, so
     * the binder can exist before the connector it observes; may supply null while there
     * is none
     * @param managedEndpoints supplies the managed (connect-on-startup) endpoints whose
     * reconnects are counted
     */
    public SocketConnectorMetrics(Supplier<@Nullable SocketConnector> connector,
            Supplier<Map<String, ManagedEndpoint>> managedEndpoints) {
        this.connector = connector;
        this.managedEndpoints = managedEndpoints;
    }

    /**
     * {@return the observer that feeds the connect and handshake timers and keeps the
     * bytes of closed sockets counted; add it to the connector's builder}
     */
    public SocketObserver observer() {
        this.observed = true;
        return this.observer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        synchronized (this.registration) {
            // endpoint(...) registers new tags on the registries already bound; this one
            // is added after, then
            // gets every tag once (adding it first registered new tags twice and logged a
            // warning). The tag
            // "none" is not registered here: it appears with the first socket opened
            // without an endpoint.
            if (!this.observed) {
                // no observer on the connector: nothing would tell when a socket without
                // an endpoint opens
                endpoint(NO_ENDPOINT);
            }
            SocketConnector connector = this.connector.get();
            if (connector != null) {
                connector.endpoints().keySet().forEach(this::endpoint);
            }
            Map<String, ManagedEndpoint> managed = this.managedEndpoints.get();
            managed.keySet().forEach(this::endpoint);
            this.endpoints.values().forEach((meters) -> meters.register(registry));
            this.registries.add(registry);
            managed.values().forEach((endpoint) -> registerManaged(registry, endpoint));
            this.managedRegistered.forEach((name, endpoint) -> registerManaged(registry, endpoint));
        }
    }

    /**
     * Registers the state gauges and the reconnect counter of a managed endpoint, once:
     * called for each {@link EndpointStateChangedEvent}, as managed endpoints start after
     * the meters are bound.
     * @param event the event
     */
    @Override
    public void onApplicationEvent(EndpointStateChangedEvent event) {
        ManagedEndpoint endpoint = event.endpoint();
        if (this.managedRegistered.containsKey(endpoint.name())) {
            return;
        }
        synchronized (this.registration) {
            if (this.managedRegistered.putIfAbsent(endpoint.name(), endpoint) == null) {
                endpoint(endpoint.name());
                for (MeterRegistry registry : this.registries) {
                    registerManaged(registry, endpoint);
                }
            }
        }
    }

    private static void registerManaged(MeterRegistry registry, ManagedEndpoint endpoint) {
        Tags tags = Tags.of("endpoint", endpoint.name());
        FunctionCounter.builder(RECONNECTS, endpoint, ManagedEndpoint::reconnects)
            .description("Connect attempts a managed endpoint started after its first one")
            .tags(tags)
            .register(registry);
        for (EndpointState state : EndpointState.values()) {
            Gauge.builder(ENDPOINT_STATE, endpoint, (e) -> (e.state() == state) ? 1 : 0)
                .description("A managed endpoint's state: 1 for the current one, 0 for the others")
                .tags(tags.and("state", state.value()))
                .strongReference(true)
                .register(registry);
        }
    }

    /**
     * Returns the meters of an endpoint tag, registering them on every bound registry the
     * first time.
     */
    private EndpointMeters endpoint(String tag) {
        EndpointMeters meters = this.endpoints.get(tag);
        if (meters != null) {
            return meters;
        }
        synchronized (this.registration) {
            meters = this.endpoints.get(tag);
            if (meters == null) {
                meters = new EndpointMeters(tag);
                this.endpoints.put(tag, meters);
                for (MeterRegistry registry : this.registries) {
                    meters.register(registry);
                }
            }
            return meters;
        }
    }

    /**
     * Returns the {@code endpoint} tag of a socket: its endpoint name when that is
     * configured or managed, {@value #NO_ENDPOINT} without a name,
     * {@value #OTHER_ENDPOINT} for any other name.
     */
    private String tag(@Nullable String endpoint) {
        if (endpoint == null) {
            return NO_ENDPOINT;
        }
        if (this.endpoints.containsKey(endpoint) && !endpoint.equals(OTHER_ENDPOINT) && !endpoint.equals(NO_ENDPOINT)) {
            // registered already, so known: the common case needs no set lookup
            return endpoint;
        }
        return (configuredNames().contains(endpoint) || this.managedEndpoints.get().containsKey(endpoint)) ? endpoint
                : OTHER_ENDPOINT;
    }

    private Set<String> configuredNames() {
        Set<String> names = this.configuredNames;
        if (names != null) {
            return names;
        }
        SocketConnector connector = this.connector.get();
        if (connector == null) {
            return Set.of();
        }
        names = Set.copyOf(connector.endpoints().keySet());
        this.configuredNames = names;
        return names;
    }

    private List<Socket<?>> sockets() {
        SocketConnector connector = this.connector.get();
        return (connector != null) ? connector.sockets() : List.of();
    }

    private long count(String endpoint, ReadyState state) {
        long count = 0;
        for (Socket<?> socket : sockets()) {
            if (endpoint.equals(tag(socket.endpoint())) && socket.readyState() == state) {
                count++;
            }
        }
        return count;
    }

    /**
     * The gauges and byte counters of one endpoint tag, and the bytes of its closed
     * sockets.
     */
    private final class EndpointMeters {

        private final String tag;

        private final ByteTotal written = new ByteTotal(Socket::bytesWritten);

        private final ByteTotal read = new ByteTotal(Socket::bytesRead);

        EndpointMeters(String tag) {
            this.tag = tag;
        }

        void register(MeterRegistry registry) {
            Tags tags = Tags.of("endpoint", this.tag);
            for (ReadyState state : GAUGED_STATES) {
                Gauge.builder(SOCKETS, this, (meters) -> count(meters.tag, state))
                    .description("Sockets that have opened and not yet closed")
                    .tags(tags.and("state", state.value()))
                    .register(registry);
            }
            FunctionCounter.builder(BYTES_WRITTEN, this.written, ByteTotal::value)
                .description("Bytes accepted by write and end, closed sockets included (plaintext for TLS)")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
            FunctionCounter.builder(BYTES_READ, this.read, ByteTotal::value)
                .description("Bytes delivered to the data callback, closed sockets included (plaintext for TLS)")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
        }

        void closed(Socket<?> socket) {
            this.written.closed(socket);
            this.read.closed(socket);
        }

        /**
         * A byte count of one endpoint: closed sockets' final counts plus the open
         * sockets' current ones.
         */
        private final class ByteTotal {

            private final ToLongFunction<Socket<?>> counter;

            private final AtomicLong closedSockets = new AtomicLong();

            private final AtomicLong reported = new AtomicLong();

            ByteTotal(ToLongFunction<Socket<?>> counter) {
                this.counter = counter;
            }

            void closed(Socket<?> socket) {
                this.closedSockets.addAndGet(this.counter.applyAsLong(socket));
            }

            /**
             * Returns the total. The closed total is read before the socket list: a
             * socket leaves the list before its final count is added here, so it is never
             * counted twice, only missed for a moment, and the value reported never goes
             * down.
             */
            double value() {
                long total = this.closedSockets.get();
                for (Socket<?> socket : sockets()) {
                    if (EndpointMeters.this.tag.equals(tag(socket.endpoint()))) {
                        total += this.counter.applyAsLong(socket);
                    }
                }
                long current = total;
                return this.reported.accumulateAndGet(current, Math::max);
            }

        }

    }

    /**
     * Feeds the timers and the closed-socket byte totals; runs on event loops, so it only
     * records.
     */
    private final class MetricsObserver implements SocketObserver {

        @Override
        public void connecting(@Nullable String endpoint, boolean tls, String target) {
            endpoint(tag(endpoint));
        }

        @Override
        public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
            recordConnect(tag(endpoint), ConnectOutcome.SUCCESS, tls, elapsed);
        }

        @Override
        public void connectFailed(@Nullable String endpoint, boolean tls, Duration elapsed, Throwable cause) {
            recordConnect(tag(endpoint), ConnectOutcome.of(cause), tls, elapsed);
        }

        @Override
        public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed,
                @Nullable Throwable failure) {
            Tags tags = Tags.of("endpoint", tag(endpoint), "outcome", (failure != null) ? "failure" : "success");
            for (MeterRegistry registry : SocketConnectorMetrics.this.registries) {
                Timer.builder(TLS_HANDSHAKE)
                    .description("TLS handshakes, from the TCP connect to the handshake's end")
                    .tags(tags)
                    .register(registry)
                    .record(elapsed);
            }
        }

        @Override
        public void closed(Socket<?> socket, @Nullable String endpoint) {
            endpoint(tag(endpoint)).closed(socket);
        }

        @Override
        public void closed(Socket<?> socket, @Nullable String endpoint, String reason) {
            String tag = tag(endpoint);
            endpoint(tag).closed(socket);
            java.time.Instant opened = socket.openedAt();
            for (MeterRegistry registry : SocketConnectorMetrics.this.registries) {
                Counter.builder(CLOSES)
                    .description("Sockets closed, by reason")
                    .tags(Tags.of("endpoint", tag, "reason", reason))
                    .register(registry)
                    .increment();
                if (opened != null) {
                    Timer.builder(CONNECTION_DURATION)
                        .description("How long each opened socket stayed open")
                        .tags(Tags.of("endpoint", tag))
                        .register(registry)
                        .record(Duration.between(opened, java.time.Instant.now()));
                }
            }
        }

        private void recordConnect(String endpoint, ConnectOutcome outcome, boolean tls, Duration elapsed) {
            endpoint(endpoint);
            Tags tags = Tags.of("endpoint", endpoint, "outcome", outcome.value(), "tls", Boolean.toString(tls));
            for (MeterRegistry registry : SocketConnectorMetrics.this.registries) {
                Timer.builder(CONNECT)
                    .description("Connects until the socket is open (DNS, TCP connect and TLS handshake)")
                    .tags(tags)
                    .register(registry)
                    .record(elapsed);
            }
        }

    }

}
