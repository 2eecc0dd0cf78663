package dev.socketconnector;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Request/reply ({@link Socket#request(byte[])}, {@link RequestReplyOptions}) against
 * real peers on 127.0.0.1: every request completes once with its own reply, whatever the
 * threads and the order of the replies; late replies and pushes reach {@code data}; the
 * limits, the timeout and a dropped connection fail requests as documented.
 */
class RequestReplyTests {

    /** A seed for the peers' shuffles; {@code -Drequests.seed=...} replays a failure. */
    private static final long SEED = Long.getLong("requests.seed", 20261205L);

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Framing FRAMING = Framing.lengthPrefixed(4, 64 * 1024);

    /** Large enough for 10,000 small requests queued from other threads at once. */
    private final SocketConnector connector = SocketConnector.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .writeBufferWaterMark(8 << 20, 16 << 20)
        .build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    // ---- correlation id: 10,000 concurrent requests, answered in random order ----

    @Test
    void concurrentRequestsAnsweredInRandomOrderEachGetTheirOwnReply() throws Exception {
        int count = 10_000;
        int pushes = count / 1000;
        RequestReplyOptions options = RequestReplyOptions.builder()
            .maxInFlight(count)
            .correlationId(RequestReplyTests::idOf)
            .build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                // read every request, then answer in a random order, with pushes (id -1)
                // between the replies
                List<byte[]> requests = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    requests.add(peer.read());
                }
                Collections.shuffle(requests, new Random(SEED));
                for (int i = 0; i < count; i++) {
                    if (i % 1000 == 500) {
                        peer.write(frame(-1, "push " + i));
                    }
                    byte[] request = requests.get(i);
                    peer.write(frame((Long) idOf(request), "re:" + body(request)));
                }
                peer.flush();
            });
            AtomicReferenceArray<CompletableFuture<byte[]>> futures = requestFromThreads(4, count,
                    (i) -> socket.request(frame(i, "q" + i)));
            answered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                byte[] reply = futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(idOf(reply)).as("seed %d, request %d", SEED, i).isEqualTo((long) i);
                assertThat(body(reply)).isEqualTo("re:q" + i);
            }
            Await.until(pushes + " pushes in data", WAIT, () -> handler.frames.size() == pushes);
            assertThat(handler.frames).allSatisfy((frame) -> assertThat(idOf(frame)).isEqualTo(-1L));
            assertThat(handler.errors).isEmpty();
        }
    }

    // ---- pipelined: 10,000 requests from 8 threads, echoed in order ----

    @Test
    void pipelinedRequestsFromEightThreadsEachGetTheirOwnReply() throws Exception {
        int count = 10_000;
        RequestReplyOptions options = RequestReplyOptions.builder().maxInFlight(count).build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<Void> echoed = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < count; i++) {
                    byte[] request = peer.read();
                    peer.write(
                            ("echo:" + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    if (peer.nothingToRead()) {
                        peer.flush();
                    }
                }
                peer.flush();
            });
            AtomicReferenceArray<CompletableFuture<byte[]>> futures = requestFromThreads(8, count,
                    (i) -> socket.request("request " + i));
            echoed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                byte[] reply = futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("echo:request " + i);
            }
            assertThat(handler.frames).isEmpty();
            assertThat(handler.errors).isEmpty();
        }
    }

    // ---- requests from the event loop ----

    @Test
    void requestsFromTheEventLoopAndOtherThreadsKeepTheirOrder() throws Exception {
        int count = 2_000;
        RequestReplyOptions options = RequestReplyOptions.builder().maxInFlight(2 * count + 1).build();
        try (TestServer server = TestServer.tcp()) {
            List<CompletableFuture<byte[]>> fromLoop = new CopyOnWriteArrayList<>();
            Frames handler = new Frames() {

                @Override
                public void data(Socket<Object> socket, byte[] data) {
                    // the peer's "go" push: requests from the loop, interleaved with the
                    // test thread's
                    for (int i = 0; i < count; i++) {
                        fromLoop.add(socket.request("loop " + i));
                    }
                }

            };
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<Void> echoed = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2 * count; i++) {
                    byte[] request = peer.read();
                    peer.write(
                            ("echo:" + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    if (peer.nothingToRead()) {
                        peer.flush();
                    }
                }
                peer.flush();
            });
            peer.write("go".getBytes(StandardCharsets.UTF_8));
            peer.flush();
            // pipelined, every frame while a request is pending is its reply: "go" must
            // arrive first
            Await.until("the loop's first request", WAIT, () -> !fromLoop.isEmpty());
            List<CompletableFuture<byte[]>> fromTest = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fromTest.add(socket.request("test " + i));
            }
            echoed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(fromLoop).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(fromLoop.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                    .isEqualTo("echo:loop " + i);
                assertThat(fromTest.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                    .isEqualTo("echo:test " + i);
            }
        }
    }

    // ---- a reply after its timeout goes to data, never to another request ----

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aReplyAfterItsTimeoutReachesDataNotAnotherRequest(boolean correlated) throws Exception {
        RequestReplyOptions.Builder builder = RequestReplyOptions.builder().timeout(Duration.ofMillis(300));
        if (correlated) {
            builder.correlationId(RequestReplyTests::idOf);
        }
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, builder.build(), handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<byte[]> late = socket.request(frame(1, "first"));
            peer.read();
            Throwable timedOut = failure(late);
            assertThat(timedOut).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("300 ms")
                .hasMessageContaining("socket " + socket.id())
                .hasMessageContaining("127.0.0.1:" + server.port());
            CompletableFuture<byte[]> next = socket.request(frame(2, "second"));
            peer.read();
            // the late reply first: pipelined it is matched to the timed-out request,
            // which kept its place
            peer.write(frame(1, "late reply"));
            peer.write(frame(2, "reply"));
            peer.flush();
            assertThat(body(next.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("reply");
            Await.until("the late reply in data", WAIT, () -> handler.frames.size() == 1);
            assertThat(body(handler.frames.get(0))).isEqualTo("late reply");
        }
    }

    // ---- a dropped connection fails every pending request exactly once ----

    @ParameterizedTest
    @ValueSource(strings = { "reset", "fin" })
    void killingThePeerFailsEveryPendingRequestOnceBeforeClose(String how) throws Exception {
        int count = 500;
        RequestReplyOptions options = RequestReplyOptions.builder()
            .maxInFlight(count)
            .correlationId(RequestReplyTests::idOf)
            .build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            AtomicInteger completions = new AtomicInteger();
            AtomicInteger afterClose = new AtomicInteger();
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                CompletableFuture<byte[]> future = socket.request(frame(i, "q"));
                future.whenComplete((reply, error) -> {
                    completions.incrementAndGet();
                    if (handler.closed.isDone()) {
                        afterClose.incrementAndGet();
                    }
                });
                futures.add(future);
            }
            for (int i = 0; i < count; i++) {
                peer.read();
            }
            if (how.equals("reset")) {
                peer.peer.reset();
            }
            else {
                peer.peer.close();
            }
            handler.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<byte[]> future : futures) {
                Throwable error = failure(future);
                if (how.equals("reset")) {
                    assertThat(error).isInstanceOf(SocketTransportException.class).hasMessageContaining("ECONNRESET");
                }
                else {
                    assertThat(error).isInstanceOf(ClosedChannelException.class)
                        .hasMessageContaining("closed before the reply");
                }
            }
            assertThat(completions).hasValue(count);
            assertThat(afterClose).as("requests failed before close ran").hasValue(0);
            assertThat(failure(socket.request(frame(count, "after")))).isInstanceOf(ClosedChannelException.class)
                .hasMessageContaining("closing or closed");
            assertThat(handler.frames).isEmpty();
        }
    }

    // ---- the in-flight limit ----

    @Test
    void aRequestBeyondMaxInFlightFailsAtOnceAndSlotsFreeUpWithReplies() throws Exception {
        RequestReplyOptions options = RequestReplyOptions.builder().maxInFlight(3).build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            List<CompletableFuture<byte[]>> pending = List.of(socket.request("a"), socket.request("b"),
                    socket.request("c"));
            CompletableFuture<byte[]> rejected = socket.request("d");
            assertThat(rejected).isCompletedExceptionally();
            assertThat(failure(rejected)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("maxInFlight 3");
            for (String request : List.of("a", "b", "c")) {
                assertThat(new String(peer.read(), StandardCharsets.UTF_8)).isEqualTo(request);
                peer.write(("re:" + request).getBytes(StandardCharsets.UTF_8));
            }
            peer.flush();
            for (int i = 0; i < 3; i++) {
                assertThat(pending.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                    .isEqualTo("re:" + "abc".charAt(i));
            }
            CompletableFuture<byte[]> accepted = socket.request("e");
            assertThat(new String(peer.read(), StandardCharsets.UTF_8)).isEqualTo("e");
            peer.write("re:e".getBytes(StandardCharsets.UTF_8));
            peer.flush();
            assertThat(accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                .isEqualTo("re:e");
        }
    }

    @Test
    void aTimedOutPipelinedRequestKeepsItsSlotUntilItsReplyComes() throws Exception {
        RequestReplyOptions options = RequestReplyOptions.builder()
            .maxInFlight(1)
            .timeout(Duration.ofMillis(200))
            .build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<byte[]> first = socket.request("first");
            peer.read();
            assertThat(failure(first)).isInstanceOf(TimeoutException.class);
            assertThat(failure(socket.request("too soon"))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("maxInFlight 1");
            peer.write("late".getBytes(StandardCharsets.UTF_8));
            peer.flush();
            Await.until("the late reply in data", WAIT, () -> handler.frames.size() == 1);
            CompletableFuture<byte[]> next = socket.request("next");
            assertThat(new String(peer.read(), StandardCharsets.UTF_8)).isEqualTo("next");
            peer.write("re:next".getBytes(StandardCharsets.UTF_8));
            peer.flush();
            assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                .isEqualTo("re:next");
        }
    }

    @Test
    void cancellingACorrelatedRequestFreesItsSlotAndItsReplyGoesToData() throws Exception {
        RequestReplyOptions options = RequestReplyOptions.builder()
            .maxInFlight(1)
            .correlationId(RequestReplyTests::idOf)
            .build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<byte[]> cancelled = socket.request(frame(1, "one"));
            assertThat(cancelled.cancel(false)).isTrue();
            CompletableFuture<byte[]> second = socket.request(frame(2, "two"));
            assertThat(second).isNotDone();
            peer.read();
            peer.read();
            peer.write(frame(1, "re:one"));
            peer.write(frame(2, "re:two"));
            peer.flush();
            assertThat(body(second.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("re:two");
            Await.until("the cancelled request's reply in data", WAIT, () -> handler.frames.size() == 1);
            assertThat(body(handler.frames.get(0))).isEqualTo("re:one");
        }
    }

    // ---- a managed endpoint ----

    @Test
    void aManagedEndpointRequestsThroughItsCurrentSocketAcrossAReconnect() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            // the framing is the connector's default here
            SocketConnector managed = SocketConnector.builder()
                .connectTimeout(Duration.ofSeconds(5))
                .framing(FRAMING)
                .endpoint("svc",
                        TcpSocketConnectOptions.builder()
                            .hostname("127.0.0.1")
                            .port(server.port())
                            .requestReply(RequestReplyOptions.DEFAULT)
                            .socket(new Frames())
                            .build())
                .build();
            try {
                ManagedEndpoint endpoint = managed.manage("svc",
                        ReconnectPolicy.builder()
                            .initialBackoff(Duration.ofMillis(20))
                            .maxBackoff(Duration.ofMillis(50))
                            .build());
                Socket<?> firstSocket = endpoint.whenConnected().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                FramePeer first = new FramePeer(server.accept());
                CompletableFuture<byte[]> one = endpoint.request("one".getBytes(StandardCharsets.UTF_8));
                assertThat(first.read()).asString(StandardCharsets.UTF_8).isEqualTo("one");
                first.write("re:one".getBytes(StandardCharsets.UTF_8));
                first.flush();
                assertThat(one.get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                    .isEqualTo("re:one");
                CompletableFuture<byte[]> lost = endpoint.request("lost".getBytes(StandardCharsets.UTF_8));
                first.read();
                first.peer.close();
                assertThat(failure(lost)).isInstanceOf(ClosedChannelException.class);
                FramePeer second = new FramePeer(server.accept());
                Await.until("the endpoint connected again", WAIT,
                        () -> endpoint.state() == EndpointState.CONNECTED && endpoint.socket() != firstSocket);
                CompletableFuture<byte[]> two = endpoint.request("two".getBytes(StandardCharsets.UTF_8));
                assertThat(second.read()).asString(StandardCharsets.UTF_8).isEqualTo("two");
                second.write("re:two".getBytes(StandardCharsets.UTF_8));
                second.flush();
                assertThat(two.get(WAIT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                    .isEqualTo("re:two");
                endpoint.close();
                CompletableFuture<byte[]> stopped = endpoint.request("three".getBytes(StandardCharsets.UTF_8));
                assertThat(stopped).isCompletedExceptionally();
                assertThat(failure(stopped)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'svc'")
                    .hasMessageContaining("not connected")
                    .hasMessageContaining("stopped");
            }
            finally {
                managed.close();
            }
        }
    }

    // ---- failing at once ----

    @Test
    void aDuplicateOrMissingIdFailsThatRequestAtOnce() throws Exception {
        RequestReplyOptions options = RequestReplyOptions.builder().correlationId(RequestReplyTests::idOf).build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = connect(server, options, handler);
            FramePeer peer = new FramePeer(server.accept());
            CompletableFuture<byte[]> first = socket.request(frame(7, "a"));
            assertThat(failure(socket.request(frame(7, "b")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("correlation id 7 is already pending");
            assertThat(failure(socket.request(new byte[] { 1 }))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("correlationId returned null");
            assertThat(failure(socket.request(new byte[70 * 1024]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLength");
            // only the first was sent
            assertThat(body(peer.read())).isEqualTo("a");
            peer.write(frame(7, "re:a"));
            peer.flush();
            assertThat(body(first.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("re:a");
        }
    }

    @Test
    void aRequestTheOutboundBufferCannotTakeFailsAtOnceSayingSo() throws Exception {
        SocketConnector small = SocketConnector.builder().writeBufferWaterMark(1024, 4096).build();
        try (TestServer server = TestServer.tcp()) {
            Frames handler = new Frames();
            Socket<Object> socket = small
                .connect(TcpSocketConnectOptions.builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .framing(FRAMING)
                    .requestReply(RequestReplyOptions.builder().maxInFlight(100_000).build())
                    .socket(handler)
                    .build())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            server.accept();
            // the peer never reads: the kernel's buffers fill, then the outbound buffer
            byte[] payload = new byte[60 * 1024];
            Throwable rejected = null;
            for (int i = 0; i < 100_000 && rejected == null; i++) {
                CompletableFuture<byte[]> request = socket.request(payload);
                if (request.isCompletedExceptionally()) {
                    rejected = failure(request);
                }
            }
            assertThat(rejected).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("outbound buffer")
                .hasMessageContaining("full");
            socket.terminate();
            handler.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        finally {
            small.close();
        }
    }

    // ---- options ----

    @Test
    void requestReplyNeedsAFramingAndRequestNeedsTheOption() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> this.connector.connect(TcpSocketConnectOptions.builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .requestReply(RequestReplyOptions.DEFAULT)
                    .socket(new Frames())
                    .build()))
                .withMessageContaining("requestReply")
                .withMessageContaining("framing");
            Socket<Object> plain = this.connector
                .connect(TcpSocketConnectOptions.builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .framing(FRAMING)
                    .socket(new Frames())
                    .build())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThatIllegalStateException().isThrownBy(() -> plain.request("x"))
                .withMessageContaining("requestReply");
        }
    }

    @Test
    void optionsValidateAndRoundTrip() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> RequestReplyOptions.builder().timeout(Duration.ZERO).build())
            .withMessageContaining("timeout must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> RequestReplyOptions.builder().maxInFlight(0).build())
            .withMessageContaining("maxInFlight must be at least 1");
        assertThat(RequestReplyOptions.DEFAULT.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(RequestReplyOptions.DEFAULT.maxInFlight()).isEqualTo(1024);
        assertThat(RequestReplyOptions.DEFAULT.correlationId()).isNull();
        RequestReplyOptions all = RequestReplyOptions.builder()
            .timeout(Duration.ofSeconds(3))
            .maxInFlight(7)
            .correlationId(RequestReplyTests::idOf)
            .build();
        assertThat(all.toBuilder().build()).isEqualTo(all).hasSameHashCodeAs(all);
        TcpSocketConnectOptions<Object> tcp = TcpSocketConnectOptions.builder()
            .hostname("127.0.0.1")
            .port(1)
            .socket(new Frames())
            .requestReply(all)
            .build();
        assertThat(tcp.toBuilder().build().requestReply()).isSameAs(all);
        UnixSocketOptions<Object> unix = UnixSocketOptions.builder()
            .unix("/tmp/x.sock")
            .socket(new Frames())
            .requestReply(all)
            .build();
        assertThat(unix.toBuilder().build().requestReply()).isSameAs(all);
    }

    // ---- helpers ----

    private Socket<Object> connect(TestServer server, RequestReplyOptions options, Frames handler) throws Exception {
        return this.connector
            .connect(TcpSocketConnectOptions.builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .framing(FRAMING)
                .requestReply(options)
                .socket(handler)
                .build())
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Calls {@code request} for 0..count-1 from {@code threads} threads at once. */
    private static AtomicReferenceArray<CompletableFuture<byte[]>> requestFromThreads(int threads, int count,
            java.util.function.IntFunction<CompletableFuture<byte[]>> request) throws InterruptedException {
        AtomicReferenceArray<CompletableFuture<byte[]>> futures = new AtomicReferenceArray<>(count);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int first = t;
                pool.execute(() -> {
                    for (int i = first; i < count; i += threads) {
                        futures.set(i, request.apply(i));
                    }
                });
            }
        }
        finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).as("requests written").isTrue();
        return futures;
    }

    private static Throwable failure(CompletableFuture<byte[]> future) throws Exception {
        try {
            byte[] reply = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got a reply of " + reply.length + " bytes");
        }
        catch (ExecutionException ex) {
            return ex.getCause();
        }
    }

    /** A payload of an 8-byte id and a UTF-8 body. */
    static byte[] frame(long id, String body) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + text.length).putLong(id).put(text).array();
    }

    /** The id of a payload, or null when it has none (shorter than 8 bytes). */
    static Object idOf(byte[] payload) {
        return (payload.length < 8) ? null : ByteBuffer.wrap(payload).getLong();
    }

    static String body(byte[] payload) {
        return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }

    /** Records the frames that reach data, the errors and close. */
    static class Frames implements SocketHandler<Object> {

        final List<byte[]> frames = new CopyOnWriteArrayList<>();

        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void data(Socket<Object> socket, byte[] data) {
            this.frames.add(data);
        }

        @Override
        public void error(Socket<Object> socket, Throwable error) {
            this.errors.add(error);
        }

        @Override
        public void close(Socket<Object> socket, Throwable error) {
            this.closed.complete(error);
        }

    }

    /** The peer's side of the 4-byte length-prefixed framing, on blocking streams. */
    static final class FramePeer {

        final TestServer.Peer peer;

        private final DataInputStream in;

        private final DataOutputStream out;

        FramePeer(TestServer.Peer peer) throws IOException {
            this.peer = peer;
            this.in = new DataInputStream(new BufferedInputStream(peer.channel().socket().getInputStream(), 65536));
            this.out = new DataOutputStream(new BufferedOutputStream(peer.channel().socket().getOutputStream(), 65536));
        }

        byte[] read() {
            try {
                byte[] payload = new byte[this.in.readInt()];
                this.in.readFully(payload);
                return payload;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        boolean nothingToRead() {
            try {
                return this.in.available() == 0;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        void write(byte[] payload) {
            try {
                this.out.writeInt(payload.length);
                this.out.write(payload);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        void flush() {
            try {
                this.out.flush();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

    }

}
