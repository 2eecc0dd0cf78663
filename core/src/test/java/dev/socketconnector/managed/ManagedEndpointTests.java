package dev.socketconnector.managed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.socketconnector.Await;
import dev.socketconnector.EndpointState;
import dev.socketconnector.EndpointStateListener;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketConnectorBuilder;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Managed endpoints against real peers on 127.0.0.1 that accept and drop, restart, or
 * stay down.
 */
class ManagedEndpointTests {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        this.closeables.add(closeable);
        return closeable;
    }

    private SocketConnector connector(int port, SocketHandler<Object> handler) {
        return track(SocketConnector.builder()
            .endpoint("peer",
                    TcpSocketConnectOptions.builder().hostname("127.0.0.1").port(port).socket(handler).build())
            .build());
    }

    private static SocketHandler<Object> quiet() {
        return new SocketHandler<>() {
        };
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, within, condition);
    }

    /** Records every call a listener gets, with the time it got it. */
    static final class Recorder implements EndpointStateListener {

        final List<EndpointState[]> calls = new CopyOnWriteArrayList<>();

        final List<Long> times = new CopyOnWriteArrayList<>();

        /**
         * How long after each call its {@code nextAttempt()} was (null when none was
         * scheduled): the backoff delay, as the listener runs right after it is chosen.
         */
        final List<@Nullable Duration> nextAttemptsIn = new CopyOnWriteArrayList<>();

        @Override
        public void stateChanged(ManagedEndpoint endpoint, EndpointState previous, EndpointState current,
                @Nullable Throwable cause) {
            // calls last: a reader that sees a call finds its time and next attempt
            this.times.add(System.nanoTime());
            Instant next = endpoint.nextAttempt();
            this.nextAttemptsIn.add((next != null) ? Duration.between(Instant.now(), next) : null);
            this.calls.add(new EndpointState[] { previous, current });
        }

        long count(EndpointState state) {
            return this.calls.stream().filter((call) -> call[1] == state && call[0] != call[1]).count();
        }

        List<String> transitions() {
            List<String> list = new ArrayList<>();
            this.calls.forEach((call) -> list.add(call[0] + "->" + call[1]));
            return list;
        }

    }

    private static List<Long> gapsMillis(List<Long> accepts) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < accepts.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(accepts.get(i) - accepts.get(i - 1)));
        }
        return gaps;
    }

    @Test
    void policyValidationNamesTheSettingAndToBuilderRoundTrips() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectPolicy.builder().multiplier(0.5).build())
            .withMessageContaining("multiplier");
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectPolicy.builder().jitter(1.5).build())
            .withMessageContaining("jitter");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ReconnectPolicy.builder().initialBackoff(Duration.ZERO).build())
            .withMessageContaining("initialBackoff");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ReconnectPolicy.builder().maxBackoff(Duration.ofMillis(10)).build())
            .withMessageContaining("maxBackoff");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ReconnectPolicy.builder().stableAfter(Duration.ofSeconds(-1)).build())
            .withMessageContaining("stableAfter");
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectPolicy.builder().offlineBufferSize(-1).build())
            .withMessageContaining("offlineBufferSize");
        ReconnectPolicy all = ReconnectPolicy.builder()
            .enabled(false)
            .initialBackoff(Duration.ofMillis(7))
            .maxBackoff(Duration.ofSeconds(7))
            .multiplier(3)
            .jitter(0.5)
            .stableAfter(Duration.ofSeconds(3))
            .offlineBufferSize(99)
            .build();
        assertThat(all.toBuilder().build()).isEqualTo(all).isNotEqualTo(ReconnectPolicy.DEFAULT);
        assertThat(EndpointState.BACKING_OFF.value()).isEqualTo("backing-off");
    }

    @Test
    void manageFailsFastForUnknownOrDuplicateNames() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            assertThatIllegalArgumentException().isThrownBy(() -> connector.manage("nope"))
                .withMessageContaining("nope");
            ManagedEndpoint endpoint = connector.manage("peer");
            assertThatIllegalStateException().isThrownBy(() -> connector.manage("peer")).withMessageContaining("peer");
            assertThat(connector.managedEndpoints()).containsExactly(endpoint);
            endpoint.close();
            assertThat(connector.managedEndpoints()).isEmpty();
            assertThat(endpoint.state()).isEqualTo(EndpointState.STOPPED);
        }
    }

    /**
     * Scaled-down durations (50 ms initial, x2, 1 s stableAfter) so growth and the reset
     * are checked in seconds; {@link #defaultsAgainstAcceptAndClosePeerForOneMinute()}
     * runs the real defaults once.
     */
    @Test
    void acceptAndCloseGrowsTheDelayAndOnlyAStableConnectionResetsIt() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(true)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ReconnectPolicy policy = ReconnectPolicy.builder()
                .initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofSeconds(5))
                .multiplier(2)
                .jitter(0.2)
                .stableAfter(Duration.ofSeconds(1))
                .build();
            Recorder recorder = new Recorder();
            ManagedEndpoint endpoint = connector.manage("peer", policy, recorder);
            await("7 accepts", Duration.ofSeconds(15), () -> peer.accepts.size() >= 7);
            await("6 backoffs", Duration.ofSeconds(10), () -> recorder.count(EndpointState.BACKING_OFF) >= 6);
            List<Long> gaps = gapsMillis(peer.accepts.subList(0, 7));
            // after failure n the delay is 50 ms x 2^(n-1) +-20 %. Read as scheduled, not
            // from when the attempts ran (a loaded machine stalls loops): the listener on
            // BACKING_OFF reads nextAttempt() a little after the choice, which itself
            // follows the peer's accept of that attempt. So the chosen delay d is
            // read <= d <= read + (listener's time - accept's time)
            List<String> seen = new ArrayList<>();
            int failure = 0;
            for (int i = 0; i < recorder.calls.size() && failure < 6; i++) {
                EndpointState[] call = recorder.calls.get(i);
                if (call[1] != EndpointState.BACKING_OFF || call[0] == call[1]) {
                    continue;
                }
                Duration next = recorder.nextAttemptsIn.get(i);
                assertThat(next).as("next attempt while backing off").isNotNull();
                long read = next.toMillis();
                long lag = TimeUnit.NANOSECONDS.toMillis(recorder.times.get(i) - peer.accepts.get(failure));
                long nominal = 50L << failure;
                failure++;
                seen.add(read + ".." + (read + lag) + " (nominal " + nominal + ")");
                assertThat(read).as("delays chosen %s", seen).isLessThanOrEqualTo(nominal * 6 / 5 + 1);
                assertThat(read + lag).as("delays chosen %s", seen).isGreaterThanOrEqualTo(nominal * 4 / 5 - 1);
                // the next attempt cannot come before the delay chosen
                assertThat(gaps.get(failure - 1)).as("gaps %s, delays chosen %s", gaps, seen)
                    .isGreaterThanOrEqualTo(read - 1);
            }
            assertThat(failure).isEqualTo(6);
            // now the peer holds: once the connection has lasted stableAfter, a drop
            // starts at 50 ms again
            peer.closeAtOnce(false);
            // an attempt already under way may still meet the closing peer: wait for one
            // connection that stays
            // up past stableAfter (the same socket 1.2 s later), redialling at once when
            // a drop backs off
            Socket<?> stable = null;
            long stableDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stable == null && System.nanoTime() < stableDeadline) {
                endpoint.reconnectNow();
                await("connected", Duration.ofSeconds(10), () -> endpoint.state() == EndpointState.CONNECTED);
                Socket<?> candidate = endpoint.socket();
                Thread.sleep(1200);
                if (candidate != null && endpoint.state() == EndpointState.CONNECTED
                        && endpoint.socket() == candidate) {
                    stable = candidate;
                }
            }
            assertThat(stable).as("a connection that stayed up for stableAfter").isNotNull();
            peer.closeAtOnce(true);
            // the delay chosen at the drop: nextAttempt seen by a listener on
            // BACKING_OFF, an upper bound of it
            // (the listener runs a little after the choice), or null when the attempt has
            // already started
            List<java.time.Instant[]> chosen = new CopyOnWriteArrayList<>();
            endpoint.addListener((source, previous, current, cause) -> {
                if (current == EndpointState.BACKING_OFF && previous != current) {
                    chosen.add(new java.time.Instant[] { java.time.Instant.now(), source.nextAttempt() });
                }
            });
            long drop = System.nanoTime();
            int before = peer.accepts.size();
            peer.dropAll();
            await("the next accept", Duration.ofSeconds(5), () -> peer.accepts.size() > before);
            long afterReset = TimeUnit.NANOSECONDS.toMillis(peer.accepts.get(before) - drop);
            await("backing off seen", Duration.ofSeconds(5), () -> !chosen.isEmpty());
            java.time.Instant next = chosen.get(0)[1];
            long chosenMillis = (next != null) ? Duration.between(chosen.get(0)[0], next).toMillis() : 0;
            // without the reset this would be attempt 8: 50 ms x 2^7, capped at 5 s
            assertThat(chosenMillis).as("first delay after a stable connection, gaps before %s", gaps)
                .isLessThanOrEqualTo(60);
            System.out.println("[managed] scaled growth gaps ms " + gaps + ", delays chosen " + seen
                    + ", first delay after reset: chosen <= " + chosenMillis + " ms, next accept " + afterReset
                    + " ms after the drop");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(90)
    @org.junit.jupiter.api.Tag("transport-independent") // a minute of backoff policy:
                                                        // runs in the default execution
                                                        // only
    void defaultsAgainstAcceptAndClosePeerForOneMinute() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(true)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ManagedEndpoint endpoint = connector.manage("peer");
            long start = System.nanoTime();
            await("60 s", Duration.ofSeconds(61), () -> System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(60));
            endpoint.close();
            List<Long> accepts = List.copyOf(peer.accepts);
            List<Long> gaps = gapsMillis(accepts);
            System.out.println("[managed] defaults, 60 s: " + accepts.size() + " attempts, gaps ms " + gaps
                    + ", reconnects " + endpoint.reconnects());
            assertThat(accepts.size()).isBetween(5, 10);
            for (int i = 1; i < gaps.size(); i++) {
                assertThat(gaps.get(i)).as("gaps %s", gaps).isGreaterThan(gaps.get(i - 1));
            }
        }
    }

    @Test
    void twentyRestartsSeeEveryTransitionOnceInOrderAndALateListenerHearsTheCurrentStateFirst() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ReconnectPolicy policy = ReconnectPolicy.builder()
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(200))
                .stableAfter(Duration.ZERO)
                .build();
            Recorder recorder = new Recorder();
            ManagedEndpoint endpoint = connector.manage("peer", policy, recorder);
            for (int i = 0; i < 20; i++) {
                int connected = i + 1;
                await("connected #" + connected, Duration.ofSeconds(10),
                        () -> recorder.count(EndpointState.CONNECTED) == connected && peer.heldCount() == 1);
                peer.restart();
            }
            await("connected #21", Duration.ofSeconds(10), () -> recorder.count(EndpointState.CONNECTED) == 21);
            List<String> transitions = recorder.transitions();
            assertThat(transitions.get(0)).isEqualTo("STOPPED->CONNECTING");
            for (int i = 1; i < recorder.calls.size(); i++) {
                EndpointState[] previous = recorder.calls.get(i - 1);
                EndpointState[] call = recorder.calls.get(i);
                assertThat(call[0]).as("no gap at %d in %s", i, transitions).isEqualTo(previous[1]);
                assertThat(call[1]).as("a change at %d in %s", i, transitions).isNotEqualTo(call[0]);
                switch (call[1]) {
                    case CONNECTED, BACKING_OFF -> assertThat(call[0])
                        .isEqualTo((call[1] == EndpointState.CONNECTED) ? EndpointState.CONNECTING : call[0]);
                    case CONNECTING -> assertThat(call[0]).isEqualTo(EndpointState.BACKING_OFF);
                    default -> throw new AssertionError("unexpected " + transitions);
                }
            }
            assertThat(recorder.count(EndpointState.BACKING_OFF)).isGreaterThanOrEqualTo(20);
            Recorder late = new Recorder();
            try (AutoCloseable handle = endpoint.addListener(late)) {
                assertThat(late.transitions()).containsExactly("CONNECTED->CONNECTED");
            }
            System.out.println("[managed] 20 restarts: " + transitions.size() + " transitions, "
                    + recorder.count(EndpointState.BACKING_OFF) + " backoffs, reconnects " + endpoint.reconnects());
            endpoint.close();
            assertThat(recorder.transitions().get(recorder.calls.size() - 1)).isEqualTo("CONNECTED->STOPPED");
            assertThat(late.calls).hasSize(1);
        }
    }

    @Test
    void aThrowingListenerIsHarmless() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            Recorder recorder = new Recorder();
            EndpointStateListener throwing = (endpoint, previous, current, cause) -> {
                throw new IllegalStateException("listener failure");
            };
            ManagedEndpoint endpoint = connector.manage("peer", ReconnectPolicy.DEFAULT, throwing, recorder);
            endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            await("the second listener hears CONNECTED", Duration.ofSeconds(5), () -> recorder.calls.size() == 2);
            assertThat(recorder.transitions()).containsExactly("STOPPED->CONNECTING", "CONNECTING->CONNECTED");
        }
    }

    @Test
    void anOutageLogsItsFirstFailureAndEveryTenthAtWarnThenTheRecoveryAtInfo() throws Exception {
        try (RestartablePeer peer = RestartablePeer.stopped(false);
                dev.socketconnector.reliability.LogCapture logs = new dev.socketconnector.reliability.LogCapture()) {
            SocketConnector connector = connector(peer.port(), quiet());
            ReconnectPolicy policy = ReconnectPolicy.builder()
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(5))
                .jitter(0)
                .build();
            ManagedEndpoint endpoint = connector.manage("peer", policy);
            await("25 failed attempts", Duration.ofSeconds(20), () -> endpoint.reconnects() >= 25);
            peer.startListening();
            endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            String logger = ManagedEndpoint.class.getName();
            // the recovery line is logged right after the transition that completes
            // whenConnected
            await("the recovery line", Duration.ofSeconds(5), () -> logs.records()
                .stream()
                .anyMatch((r) -> logger.equals(r.getLoggerName()) && r.getLevel() == java.util.logging.Level.INFO
                        && r.getMessage().contains("reconnected")));
            List<java.util.logging.LogRecord> records = logs.records()
                .stream()
                .filter((r) -> logger.equals(r.getLoggerName()))
                .toList();
            long failures = records.stream()
                .filter((r) -> r.getMessage().startsWith("Connect of managed endpoint"))
                .count();
            List<java.util.logging.LogRecord> warnings = logs.warnings(logger);
            List<java.util.logging.LogRecord> recovery = records.stream()
                .filter((r) -> r.getLevel() == java.util.logging.Level.INFO && r.getMessage().contains("reconnected"))
                .toList();
            System.out.println("[managed] outage of " + failures + " failed attempts: " + warnings.size()
                    + " warnings; " + recovery.get(0).getMessage());
            assertThat(failures).isGreaterThanOrEqualTo(25);
            assertThat(warnings).hasSize((int) (1 + failures / 10));
            assertThat(recovery).singleElement()
                .satisfies((r) -> assertThat(r.getMessage()).containsPattern("after an outage of \\d+ ms and " + "("
                        + failures + "|" + (failures - 1) + ") failed attempts"));
        }
    }

    @Test
    void reconnectNowWhileBackingOffStartsAnAttemptWithin100Millis() throws Exception {
        try (RestartablePeer peer = RestartablePeer.stopped(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ReconnectPolicy policy = ReconnectPolicy.builder()
                .initialBackoff(Duration.ofSeconds(30))
                .maxBackoff(Duration.ofSeconds(30))
                .jitter(0)
                .build();
            Recorder recorder = new Recorder();
            ManagedEndpoint endpoint = connector.manage("peer", policy, recorder);
            await("backing off", Duration.ofSeconds(10), () -> endpoint.state() == EndpointState.BACKING_OFF);
            assertThat(endpoint.nextAttempt()).isNotNull();
            assertThat(endpoint.lastError()).isNotNull();
            peer.startListening();
            int before = recorder.calls.size();
            long start = System.nanoTime();
            endpoint.reconnectNow();
            await("connecting", Duration.ofSeconds(5), () -> recorder.calls.size() > before);
            long toConnecting = TimeUnit.NANOSECONDS.toMillis(recorder.times.get(before) - start);
            endpoint.whenConnected().get(5, TimeUnit.SECONDS);
            long toConnected = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("[managed] reconnectNow: CONNECTING after " + toConnecting + " ms, CONNECTED after "
                    + toConnected + " ms (backoff was 30 s)");
            assertThat(toConnecting).isLessThan(100);
            assertThat(toConnected).isLessThan(2000);
            assertThat(endpoint.reconnects()).isEqualTo(1);
            endpoint.reconnectNow(); // outside BACKING_OFF: nothing
            assertThat(endpoint.state()).isEqualTo(EndpointState.CONNECTED);
        }
    }

    @Test
    void reloadOnTheManagedSocketThenADropStillReconnects() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            AtomicInteger configuredOpens = new AtomicInteger();
            AtomicInteger reloadedCloses = new AtomicInteger();
            SocketHandler<Object> configured = new SocketHandler<>() {
                @Override
                public void open(Socket<Object> socket) {
                    configuredOpens.incrementAndGet();
                }
            };
            SocketConnector connector = connector(peer.port(), configured);
            ReconnectPolicy policy = ReconnectPolicy.builder().initialBackoff(Duration.ofMillis(20)).build();
            ManagedEndpoint endpoint = connector.manage("peer", policy);
            @SuppressWarnings("unchecked")
            Socket<Object> first = (Socket<Object>) endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            first.reload(new SocketHandler<>() {
                @Override
                public void close(Socket<Object> socket, @Nullable Throwable error) {
                    reloadedCloses.incrementAndGet();
                }
            });
            // the client's connect completes in the kernel before the peer's accept
            // thread
            // holds the connection: drop only what the peer holds
            await("the peer holds the connection", Duration.ofSeconds(10), () -> peer.heldCount() == 1);
            peer.dropAll();
            try {
                await("reconnected", Duration.ofSeconds(10),
                        () -> endpoint.state() == EndpointState.CONNECTED && endpoint.socket() != first);
            }
            catch (AssertionError ex) {
                // say where the endpoint stands
                throw new AssertionError(ex.getMessage() + ": state " + endpoint.state() + ", next attempt "
                        + endpoint.nextAttempt() + ", reconnects " + endpoint.reconnects() + ", last error "
                        + endpoint.lastError() + ", first socket " + first.readyState() + ", sockets "
                        + connector.sockets() + ", peer accepted " + peer.accepts.size(), ex);
            }
            assertThat(reloadedCloses).hasValue(1);
            assertThat(configuredOpens).as("the next socket gets the configured handler again").hasValue(2);
        }
    }

    @Test
    void offlineBufferZeroRefusesWrites() throws Exception {
        try (RestartablePeer peer = RestartablePeer.stopped(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ManagedEndpoint endpoint = connector.manage("peer");
            await("backing off", Duration.ofSeconds(10), () -> endpoint.state() == EndpointState.BACKING_OFF);
            assertThat(endpoint.write("x")).isEqualTo(-1);
            endpoint.close();
            assertThat(endpoint.write("x")).isEqualTo(-1);
        }
    }

    @Test
    void offlineBufferSendsLoginFirstThenBufferedBytesInOrderThenNewerWrites() throws Exception {
        try (RestartablePeer peer = RestartablePeer.stopped(false)) {
            SocketHandler<Object> login = new SocketHandler<>() {
                @Override
                public void open(Socket<Object> socket) {
                    socket.write("LOGIN\n");
                }
            };
            SocketConnector connector = connector(peer.port(), login);
            ReconnectPolicy policy = ReconnectPolicy.builder()
                .initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofMillis(100))
                .offlineBufferSize(10)
                .build();
            ManagedEndpoint endpoint = connector.manage("peer", policy);
            await("backing off", Duration.ofSeconds(10), () -> endpoint.state() == EndpointState.BACKING_OFF);
            assertThat(endpoint.write("abcdef")).isEqualTo(6);
            assertThat(endpoint.write("ghijklm")).isEqualTo(4);
            assertThat(endpoint.write("x")).isEqualTo(0);
            peer.startListening();
            endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            assertThat(endpoint.write("new")).isEqualTo(3);
            await("all bytes", Duration.ofSeconds(10), () -> received(peer).length() >= 19);
            assertThat(received(peer)).isEqualTo("LOGIN\nabcdefghijnew");
        }
    }

    private static String received(RestartablePeer peer) {
        if (peer.received.isEmpty()) {
            return "";
        }
        var bytes = peer.received.get(0);
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void whenConnectedFailsWhenTheEndpointClosesFirst() throws Exception {
        try (RestartablePeer peer = RestartablePeer.stopped(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ManagedEndpoint endpoint = connector.manage("peer");
            var waiter = endpoint.whenConnected();
            await("backing off", Duration.ofSeconds(10), () -> endpoint.state() == EndpointState.BACKING_OFF);
            endpoint.close();
            assertThat(waiter).isCompletedExceptionally();
            assertThat(failure(waiter)).isSameAs(endpoint.lastError());
            assertThat(endpoint.state()).isEqualTo(EndpointState.STOPPED);
        }
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            ManagedEndpoint endpoint = connector.manage("peer");
            endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            endpoint.close();
            assertThat(failure(endpoint.whenConnected())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'peer'");
        }
    }

    @Test
    void connectorCloseStopsEveryManagedEndpoint() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            SocketConnector connector = connector(peer.port(), quiet());
            Recorder recorder = new Recorder();
            ManagedEndpoint endpoint = connector.manage("peer", ReconnectPolicy.DEFAULT, recorder);
            endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            connector.close();
            assertThat(endpoint.state()).isEqualTo(EndpointState.STOPPED);
            assertThat(connector.managedEndpoints()).isEmpty();
            assertThat(recorder.transitions()).containsExactly("STOPPED->CONNECTING", "CONNECTING->CONNECTED",
                    "CONNECTED->STOPPED");
        }
    }

    @Test
    void hundredEndpointsToOneRestartingPeerSpreadTheirAttemptsOverTheJitterWindow() throws Exception {
        try (RestartablePeer peer = RestartablePeer.start(false)) {
            SocketConnectorBuilder builder = SocketConnector.builder();
            for (int i = 0; i < 100; i++) {
                builder.endpoint("e" + i,
                        TcpSocketConnectOptions.builder()
                            .hostname("127.0.0.1")
                            .port(peer.port())
                            .socket(quiet())
                            .build());
            }
            SocketConnector connector = track(builder.build());
            ReconnectPolicy policy = ReconnectPolicy.builder()
                .initialBackoff(Duration.ofSeconds(1))
                .stableAfter(Duration.ZERO)
                .build();
            List<ManagedEndpoint> endpoints = new ArrayList<>();
            List<Recorder> recorders = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                endpoints.add(connector.manage("e" + i, policy, recorder));
            }
            await("100 connected", Duration.ofSeconds(20),
                    () -> endpoints.stream().allMatch((e) -> e.state() == EndpointState.CONNECTED));
            long threadsBefore = 0;
            long heapBefore = 0;
            for (int round = 0; round < 4; round++) {
                if (round == 1) {
                    // event-loop threads (and the resolver's) start lazily: measure once
                    // every part has run
                    threadsBefore = connectorThreads();
                    System.gc();
                    heapBefore = usedHeap();
                }
                await("all held", Duration.ofSeconds(10), () -> peer.heldCount() == 100);
                int[] marks = recorders.stream().mapToInt((r) -> r.calls.size()).toArray();
                long drop = System.nanoTime();
                peer.restart();
                await("100 reconnected", Duration.ofSeconds(20),
                        () -> endpoints.stream().allMatch((e) -> e.state() == EndpointState.CONNECTED)
                                && java.util.stream.IntStream.range(0, 100)
                                    .allMatch((i) -> recorders.get(i).calls.size() >= marks[i] + 3));
                List<Long> delays = new ArrayList<>();
                List<Long> starts = new ArrayList<>();
                List<Long> scheduled = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Recorder recorder = recorders.get(i);
                    // after the mark: CONNECTED->BACKING_OFF, then
                    // BACKING_OFF->CONNECTING (the attempt)
                    int backingOff = marks[i];
                    await("endpoint e" + i + " reconnecting", Duration.ofSeconds(10),
                            () -> recorder.calls.size() >= backingOff + 3);
                    assertThat(recorder.calls.get(backingOff)[1]).isEqualTo(EndpointState.BACKING_OFF);
                    assertThat(recorder.calls.get(backingOff + 1)[1]).isEqualTo(EndpointState.CONNECTING);
                    Duration next = recorder.nextAttemptsIn.get(backingOff);
                    assertThat(next).as("e" + i + "'s next attempt while backing off").isNotNull();
                    scheduled.add(next.toMillis());
                    delays.add(TimeUnit.NANOSECONDS
                        .toMillis(recorder.times.get(backingOff + 1) - recorder.times.get(backingOff)));
                    starts.add(TimeUnit.NANOSECONDS.toMillis(recorder.times.get(backingOff + 1) - drop));
                }
                long min = delays.stream().mapToLong(Long::longValue).min().orElseThrow();
                long max = delays.stream().mapToLong(Long::longValue).max().orElseThrow();
                long firstScheduled = scheduled.stream().mapToLong(Long::longValue).min().orElseThrow();
                long lastScheduled = scheduled.stream().mapToLong(Long::longValue).max().orElseThrow();
                int[] buckets = new int[5];
                // each endpoint's backoff delay as scheduled (nextAttempt() when it went
                // BACKING_OFF): uniform over 800..1200 ms. Read from the schedule, not
                // from when the attempts ran, so a loop that a loaded machine stalls for
                // a
                // moment cannot bunch them after the fact
                scheduled.forEach((at) -> buckets[(int) Math.max(0, Math.min(4, (at - 800) / 80))]++);
                System.out.println("[managed] 100 endpoints, round " + round + ": delays scheduled from "
                        + firstScheduled + " to " + lastScheduled + " ms, per 80 ms from 800 ms "
                        + java.util.Arrays.toString(buckets) + "; delays seen by the listener from " + min + " to "
                        + max + " ms; attempts started "
                        + starts.stream().mapToLong(Long::longValue).min().orElseThrow() + " to "
                        + starts.stream().mapToLong(Long::longValue).max().orElseThrow() + " ms after the drop");
                // read when the BACKING_OFF call ran: shorter by that call's delivery
                // latency
                assertThat(firstScheduled).as("shortest scheduled delay").isGreaterThanOrEqualTo(600);
                assertThat(lastScheduled).as("longest scheduled delay").isLessThanOrEqualTo(1200);
                assertThat(lastScheduled - firstScheduled).as("spread of the scheduled delays").isGreaterThan(250);
                // measured between listener calls, which a busy event loop may deliver
                // late: a little slack below
                assertThat(min).isGreaterThanOrEqualTo(600);
                assertThat(max).as("listener-measured, with delivery latency").isLessThan(2000);
                for (int bucket : buckets) {
                    // uniform: 20 per bucket
                    assertThat(bucket).as("no herd: %s", java.util.Arrays.toString(buckets)).isLessThan(60);
                }
            }
            long threadsAfter = connectorThreads();
            System.gc();
            long heapAfter = usedHeap();
            System.out.println("[managed] connector threads " + threadsBefore + " -> " + threadsAfter
                    + ", used heap MB " + heapBefore / 1048576 + " -> " + heapAfter / 1048576);
            assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore);
            assertThat(heapAfter - heapBefore).isLessThan(64L * 1024 * 1024);
        }
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> future) {
        return future.handle((value, error) -> error).getNow(null);
    }

    private static long connectorThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((t) -> t.getName().startsWith("socket-connector"))
            .count();
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

}
