package dev.socketconnector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Framing end to end against real peers: whole frames to {@code data} whatever the peer's
 * chopping, on TCP, TLS and a unix socket; the two frame errors; what a frame write
 * returns and sends.
 */
class FramingTests {

    private static final PkiFixture PKI = PkiFixture.get();

    /** A seed for the random frames; {@code -Dframing.seed=...} replays a failure. */
    private static final long SEED = Long.getLong("framing.seed", 20261205L);

    private static final byte[] DELIMITER = "<>|".getBytes(StandardCharsets.US_ASCII);

    private final SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    /** Every framing the contract has, as the tests exercise them. */
    enum Kind {

        LINES(Framing.lines(300)), DELIMITER(Framing.delimiter(FramingTests.DELIMITER, 300)),
        LENGTH_1(Framing.lengthPrefixed(1, 300)), LENGTH_2(Framing.lengthPrefixed(2, 300)),
        LENGTH_4(Framing.lengthPrefixed(4, 300)), LENGTH_8(Framing.lengthPrefixed(8, 300)), FIXED(Framing.fixed(37));

        final Framing framing;

        Kind(Framing framing) {
            this.framing = framing;
        }

        int maxLength() {
            if (this.framing instanceof Framing.LengthPrefixed prefixed) {
                return prefixed.effectiveMaxLength();
            }
            if (this.framing instanceof Framing.Fixed fixed) {
                return fixed.frameLength();
            }
            return (this.framing instanceof Framing.Lines lines) ? lines.maxLength()
                    : ((Framing.Delimiter) this.framing).maxLength();
        }

        /**
         * A random payload this framing can carry: bytes drawn mostly from the
         * delimiter's own bytes (and '\r' for lines), so partial delimiters cross chunk
         * boundaries.
         */
        byte[] randomPayload(Random random) {
            for (;;) {
                int length = (this == FIXED) ? maxLength() : random.nextInt(maxLength() + 1);
                if (this != FIXED && random.nextInt(10) == 0) {
                    // the edges: empty and maxLength
                    length = random.nextBoolean() ? 0 : maxLength();
                }
                byte[] payload = new byte[length];
                for (int i = 0; i < length; i++) {
                    payload[i] = switch (this) {
                        case LINES -> (byte) "ab\r\t\u00ff".charAt(random.nextInt(5));
                        case DELIMITER -> (byte) "<>|x".charAt(random.nextInt(4));
                        default -> (byte) random.nextInt(256);
                    };
                }
                if (valid(payload)) {
                    return payload;
                }
            }
        }

        private boolean valid(byte[] payload) {
            if (this == LINES) {
                return payload.length == 0 || payload[payload.length - 1] != '\r';
            }
            if (this == DELIMITER) {
                byte[] framed = encode(payload);
                return indexOf(framed, FramingTests.DELIMITER) == payload.length;
            }
            return true;
        }

        /** The frame on the wire, as the peer sends it. */
        byte[] encode(byte[] payload) {
            ByteBuffer frame = ByteBuffer.allocate(payload.length + 16);
            switch (this) {
                case LENGTH_1 -> frame.put((byte) payload.length);
                case LENGTH_2 -> frame.putShort((short) payload.length);
                case LENGTH_4 -> frame.putInt(payload.length);
                case LENGTH_8 -> frame.putLong(payload.length);
                default -> {
                }
            }
            frame.put(payload);
            if (this == LINES) {
                // both line ends are accepted
                if (payload.length % 2 == 0) {
                    frame.put((byte) '\r');
                }
                frame.put((byte) '\n');
            }
            else if (this == DELIMITER) {
                frame.put(FramingTests.DELIMITER);
            }
            return Arrays.copyOf(frame.array(), frame.position());
        }

    }

    enum Via {

        TCP, TLS, UNIX

    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer: for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A peer of one kind that the test writes to and reads from with blocking calls. */
    private interface Peer extends AutoCloseable {

        OutputStream out() throws IOException;

        InputStream in() throws IOException;

        void shutdownOutput() throws IOException;

    }

    /**
     * Connects a socket with {@code framing} to a new peer reached through {@code via}.
     */
    private Connected connect(Via via, Framing framing, RecordingSocketHandler<Void> handler) throws Exception {
        switch (via) {
            case TCP, UNIX -> {
                TestServer server = (via == Via.TCP) ? TestServer.tcp() : TestServer.unix();
                Socket<Void> socket = ((via == Via.TCP)
                        ? this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                            .hostname("127.0.0.1")
                            .port(server.port())
                            .socket(handler)
                            .framing(framing)
                            .build())
                        : this.connector.connect(UnixSocketOptions.<Void>builder()
                            .unix(server.path())
                            .socket(handler)
                            .framing(framing)
                            .build()))
                    .get(10, TimeUnit.SECONDS);
                TestServer.Peer accepted = server.accept();
                if (via == Via.TCP) {
                    accepted.channel().setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                java.net.Socket adapted = null;
                Peer peer = new Peer() {
                    @Override
                    public OutputStream out() {
                        return java.nio.channels.Channels.newOutputStream(accepted.channel());
                    }

                    @Override
                    public InputStream in() {
                        return java.nio.channels.Channels.newInputStream(accepted.channel());
                    }

                    @Override
                    public void shutdownOutput() throws IOException {
                        accepted.shutdownOutput();
                    }

                    @Override
                    public void close() throws IOException {
                        accepted.close();
                        server.close();
                    }
                };
                return new Connected(socket, peer);
            }
            default -> {
                SSLServerSocket server = (SSLServerSocket) PKI.jdkServerContext("server")
                    .getServerSocketFactory()
                    .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
                CompletableFuture<SSLSocket> accepted = CompletableFuture.supplyAsync(() -> {
                    try {
                        SSLSocket tls = (SSLSocket) server.accept();
                        tls.setTcpNoDelay(true);
                        tls.startHandshake();
                        return tls;
                    }
                    catch (IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
                Socket<Void> socket = this.connector
                    .connect(TcpSocketConnectOptions.<Void>builder()
                        .hostname("127.0.0.1")
                        .port(server.getLocalPort())
                        .socket(handler)
                        .tls(TlsOptions.builder().ca(PKI.file("ca.crt")).build())
                        .framing(framing)
                        .build())
                    .get(10, TimeUnit.SECONDS);
                SSLSocket tls = accepted.get(10, TimeUnit.SECONDS);
                Peer peer = new Peer() {
                    @Override
                    public OutputStream out() throws IOException {
                        return tls.getOutputStream();
                    }

                    @Override
                    public InputStream in() throws IOException {
                        return tls.getInputStream();
                    }

                    @Override
                    public void shutdownOutput() throws IOException {
                        // close_notify, then the FIN with the socket's close
                        tls.close();
                    }

                    @Override
                    public void close() throws IOException {
                        tls.close();
                        server.close();
                    }
                };
                return new Connected(socket, peer);
            }
        }
    }

    private record Connected(Socket<Void> socket, Peer peer) implements AutoCloseable {

        @Override
        public void close() throws Exception {
            this.socket.terminate();
            this.peer.close();
        }

    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void randomFramesChoppedAtRandomOffsetsArriveWholeOverTcp(Kind kind) throws Exception {
        randomFramesArriveWhole(kind, Via.TCP);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void randomFramesChoppedAtRandomOffsetsArriveWholeOverTls(Kind kind) throws Exception {
        randomFramesArriveWhole(kind, Via.TLS);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void randomFramesChoppedAtRandomOffsetsArriveWholeOverUnixSocket(Kind kind) throws Exception {
        randomFramesArriveWhole(kind, Via.UNIX);
    }

    private void randomFramesArriveWhole(Kind kind, Via via) throws Exception {
        long seed = SEED + kind.ordinal() * 31L + via.ordinal();
        String replay = " (seed " + seed + ": -Dframing.seed=" + SEED + ", " + kind + " over " + via + ")";
        Random random = new Random(seed);
        int count = 400;
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] payload = kind.randomPayload(random);
            sent.add(payload);
            stream.write(kind.encode(payload));
        }
        byte[] wire = stream.toByteArray();
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
            .onData((socket, data) -> received.add(data));
        try (Connected connected = connect(via, kind.framing, handler)) {
            OutputStream out = connected.peer().out();
            int offset = 0;
            while (offset < wire.length) {
                int chunk = Math.min(wire.length - offset, 1 + random.nextInt(2 * kind.maxLength() + 8));
                out.write(wire, offset, chunk);
                out.flush();
                offset += chunk;
                if (random.nextInt(8) == 0) {
                    // a pause, so the chunk arrives in a read of its own
                    Thread.sleep(1);
                }
            }
            Await.until(count + " frames" + replay, Duration.ofSeconds(20), () -> received.size() >= count);
            // nothing more than the frames sent
            assertThat(Await.poll(Duration.ofMillis(50), () -> received.size() > count)).as("extra frames" + replay)
                .isFalse();
            for (int i = 0; i < count; i++) {
                assertThat(received.get(i)).as("frame " + i + replay).isEqualTo(sent.get(i));
            }
            assertThat(handler.errors()).as("errors" + replay).isEmpty();
            assertThat(connected.socket().bytesRead()).as("bytesRead counts payload bytes" + replay)
                .isEqualTo(sent.stream().mapToLong((payload) -> payload.length).sum());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void framesWrittenArriveWithTheirFramingAndBytesWrittenCountsPayloads(Kind kind) throws Exception {
        Random random = new Random(SEED);
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (Connected connected = connect(Via.TCP, kind.framing, handler)) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            long payloadBytes = 0;
            for (int i = 0; i < 50; i++) {
                byte[] payload = kind.randomPayload(random);
                int written = (i % 2 == 0) ? connected.socket().write(payload)
                        : connected.socket().write(ByteBuffer.wrap(payload));
                assertThat(written).isEqualTo(payload.length);
                payloadBytes += payload.length;
                byte[] frame = kind.encode(payload);
                if (kind == Kind.LINES && frame.length > 1 && frame[frame.length - 2] == '\r') {
                    // the peer's encoding may use "\r\n"; a lines() write sends '\n' only
                    frame = Arrays.copyOf(frame, frame.length - 1);
                    frame[frame.length - 1] = '\n';
                }
                expected.write(frame);
            }
            byte[] last = kind.randomPayload(random);
            assertThat(connected.socket().end(last)).isEqualTo(last.length);
            payloadBytes += last.length;
            byte[] lastFrame = kind.encode(last);
            if (kind == Kind.LINES && lastFrame.length > 1 && lastFrame[lastFrame.length - 2] == '\r') {
                lastFrame = Arrays.copyOf(lastFrame, lastFrame.length - 1);
                lastFrame[lastFrame.length - 1] = '\n';
            }
            expected.write(lastFrame);
            byte[] read = connected.peer().in().readAllBytes();
            assertThat(read).isEqualTo(expected.toByteArray());
            assertThat(connected.socket().bytesWritten()).isEqualTo(payloadBytes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = { "LINES", "LENGTH_4" })
    void eightThreadsWritingTenThousandFramesEachToASlowPeerNeverInterleaveNorWritePartially(Kind kind)
            throws Exception {
        int threads = 8;
        int frames = 10_000;
        try (SocketConnector small = SocketConnector.builder().writeBufferWaterMark(16 * 1024, 64 * 1024).build();
                TestServer server = TestServer.tcp()) {
            Socket<Void> socket = small
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new RecordingSocketHandler<>())
                    .framing(kind.framing)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            // the peer reads slowly: 8 KiB, then a pause
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);
                try {
                    while (peer.channel().read(buffer) >= 0) {
                        all.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                        Thread.sleep(1);
                    }
                }
                catch (IOException | InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                return all.toByteArray();
            });
            java.util.concurrent.atomic.AtomicLong zeros = new java.util.concurrent.atomic.AtomicLong();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> writers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread writer = new Thread(() -> {
                    try {
                        for (int seq = 0; seq < frames; seq++) {
                            byte[] payload = concurrentPayload(thread, seq);
                            for (;;) {
                                int written = socket.write(payload);
                                if (written == payload.length) {
                                    break;
                                }
                                if (written != 0) {
                                    throw new AssertionError("thread " + thread + " frame " + seq + " of "
                                            + payload.length + " bytes: write returned " + written);
                                }
                                zeros.incrementAndGet();
                                if (System.nanoTime() - deadline > 0) {
                                    throw new AssertionError("the peer did not take the frames within 120 s");
                                }
                                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                            }
                        }
                    }
                    catch (Throwable ex) {
                        failures.add(ex);
                    }
                }, "frame-writer-" + t);
                writers.add(writer);
                writer.start();
            }
            for (Thread writer : writers) {
                writer.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())) + 1);
                assertThat(writer.isAlive()).as(writer.getName() + " finished").isFalse();
            }
            assertThat(failures).isEmpty();
            socket.end();
            byte[] wire = read.get(60, TimeUnit.SECONDS);
            int[] next = new int[threads];
            int offset = 0;
            int count = 0;
            while (offset < wire.length) {
                int start;
                int end;
                if (kind == Kind.LINES) {
                    start = offset;
                    end = start;
                    while (wire[end] != '\n') {
                        end++;
                    }
                    offset = end + 1;
                }
                else {
                    int length = ByteBuffer.wrap(wire, offset, 4).getInt();
                    start = offset + 4;
                    end = start + length;
                    offset = end;
                }
                byte[] payload = Arrays.copyOfRange(wire, start, end);
                int thread = payload[0] - 'A';
                assertThat(thread).as("frame " + count + "'s writer").isBetween(0, threads - 1);
                assertThat(payload).as("frame " + count).isEqualTo(concurrentPayload(thread, next[thread]));
                next[thread]++;
                count++;
            }
            assertThat(count).isEqualTo(threads * frames);
            assertThat(zeros.get()).as("writes that found the buffer full").isPositive();
            assertThat(socket.bytesWritten()).isEqualTo(java.util.stream.IntStream.range(0, threads)
                .mapToLong((thread) -> java.util.stream.IntStream.range(0, frames)
                    .mapToLong((seq) -> concurrentPayload(thread, seq).length)
                    .sum())
                .sum());
        }
    }

    /** Frame {@code seq} of writer {@code thread}: its id, its number, then filler. */
    private static byte[] concurrentPayload(int thread, int seq) {
        byte[] head = ((char) ('A' + thread) + ":" + seq + ":").getBytes(StandardCharsets.US_ASCII);
        int filler = (seq * 7919 + thread * 31) % 200;
        byte[] payload = Arrays.copyOf(head, head.length + filler);
        for (int i = head.length; i < payload.length; i++) {
            payload[i] = (byte) ('a' + (i + seq + thread) % 26);
        }
        return payload;
    }

    @Test
    void lengthFieldAnnouncingTwoGibibytesFailsAtOnceWithFrameTooLongAsErrorAndCloseError() throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onError((socket, error) -> {
        });
        try (Connected connected = connect(Via.TCP, Framing.lengthPrefixed(8, 64 * 1024), handler)) {
            OutputStream out = connected.peer().out();
            ByteBuffer header = ByteBuffer.allocate(8).putLong(2L * 1024 * 1024 * 1024);
            out.write(header.array());
            out.write(new byte[1000]);
            out.flush();
            Throwable closeError = handler.awaitClose();
            assertThat(closeError).isInstanceOf(FrameException.class);
            assertThat(((FrameException) closeError).code()).isEqualTo(FrameException.ERR_FRAME_TOO_LONG);
            assertThat(closeError.getMessage()).contains("2147483648").contains("maxLength 65536");
            assertThat(handler.errors()).containsExactly(closeError);
            assertThat(handler.events()).containsExactly("open", "error", "close");
        }
    }

    @Test
    void unsignedEightByteLengthFieldAboveLongMaxIsTooLong() throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onError((socket, error) -> {
        });
        try (Connected connected = connect(Via.TCP, Framing.lengthPrefixed(8, 100), handler)) {
            OutputStream out = connected.peer().out();
            out.write(ByteBuffer.allocate(8).putLong(-2).array());
            out.flush();
            Throwable closeError = handler.awaitClose();
            assertThat(closeError).isInstanceOf(FrameException.class)
                .hasMessageContaining("18446744073709551614")
                .hasMessageContaining("maxLength 100");
            assertThat(handler.errors()).containsExactly(closeError);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = { "LINES", "DELIMITER" })
    void unterminatedFrameGrowingPastMaxLengthFailsOnceWithFrameTooLong(Kind kind) throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onError((socket, error) -> {
        });
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        handler.onData((socket, data) -> received.add(data));
        try (Connected connected = connect(Via.TCP, kind.framing, handler)) {
            OutputStream out = connected.peer().out();
            byte[] whole = new byte[kind.maxLength()];
            Arrays.fill(whole, (byte) 'x');
            // a frame of exactly maxLength passes, then one byte more fails
            out.write(kind.encode(whole));
            out.write(whole);
            out.flush();
            Await.until("the whole frame", Duration.ofSeconds(10), () -> received.size() == 1);
            // maxLength bytes of an unterminated frame: still waiting
            assertThat(Await.poll(Duration.ofMillis(100), () -> !handler.errors().isEmpty())).isFalse();
            out.write('x');
            out.write(whole);
            out.flush();
            Throwable closeError = handler.awaitClose();
            assertThat(closeError).isInstanceOf(FrameException.class)
                .hasMessageContaining("maxLength " + kind.maxLength());
            assertThat(((FrameException) closeError).code()).isEqualTo(FrameException.ERR_FRAME_TOO_LONG);
            assertThat(handler.errors()).containsExactly(closeError);
            assertThat(received).hasSize(1);
        }
    }

    @Test
    void lineOfMaxLengthWhoseCarriageReturnWaitsForItsLineFeedIsNotTooLong() throws Exception {
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
            .onData((socket, data) -> received.add(data));
        try (Connected connected = connect(Via.TCP, Framing.lines(10), handler)) {
            OutputStream out = connected.peer().out();
            out.write("0123456789\r".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(Await.poll(Duration.ofMillis(100), () -> !handler.errors().isEmpty())).isFalse();
            out.write('\n');
            out.flush();
            Await.until("the line", Duration.ofSeconds(10), () -> received.size() == 1);
            assertThat(new String(received.get(0), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
            assertThat(handler.errors()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @org.junit.jupiter.params.provider.MethodSource("partialCases")
    void streamEndingInsideFrameReportsPartialFrameBeforeEnd(Kind kind, Via via) throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onError((socket, error) -> {
        });
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        handler.onData((socket, data) -> received.add(data));
        try (Connected connected = connect(via, kind.framing, handler)) {
            OutputStream out = connected.peer().out();
            byte[] payload = new byte[(kind == Kind.FIXED) ? kind.maxLength() : 20];
            Arrays.fill(payload, (byte) 'y');
            byte[] frame = kind.encode(payload);
            out.write(frame);
            out.write(frame, 0, frame.length - 3);
            out.flush();
            Await.until("the whole frame", Duration.ofSeconds(10), () -> received.size() == 1);
            connected.peer().shutdownOutput();
            handler.awaitClose();
            assertThat(handler.events()).containsSubsequence("data", "error", "end", "close");
            assertThat(handler.events().indexOf("error")).isLessThan(handler.events().indexOf("end"));
            assertThat(handler.errors()).singleElement()
                .isInstanceOfSatisfying(FrameException.class,
                        (error) -> assertThat(error.code()).isEqualTo(FrameException.ERR_PARTIAL_FRAME));
        }
    }

    static List<org.junit.jupiter.params.provider.Arguments> partialCases() {
        List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        for (Kind kind : List.of(Kind.LINES, Kind.LENGTH_4, Kind.FIXED)) {
            for (Via via : Via.values()) {
                cases.add(org.junit.jupiter.params.provider.Arguments.of(kind, via));
            }
        }
        return cases;
    }

    @Test
    void streamEndingBetweenFramesReportsNoError() throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (Connected connected = connect(Via.TCP, Framing.lines(100), handler)) {
            connected.peer().out().write("a\n\nb\n".getBytes(StandardCharsets.US_ASCII));
            connected.peer().shutdownOutput();
            handler.awaitClose();
            assertThat(handler.rawEvents()).containsExactly("open", "data", "data", "data", "end", "close");
            assertThat(handler.errors()).isEmpty();
        }
    }

    @Test
    void frameWritesTheFramingCannotSendThrowNamingTheLimit() throws Exception {
        try (Connected lines = connect(Via.TCP, Framing.lines(10), new RecordingSocketHandler<>());
                Connected prefixed = connect(Via.TCP, Framing.lengthPrefixed(1, 1000), new RecordingSocketHandler<>());
                Connected fixed = connect(Via.TCP, Framing.fixed(4), new RecordingSocketHandler<>());
                Connected delimited = connect(Via.TCP, Framing.delimiter("aa".getBytes(StandardCharsets.US_ASCII), 10),
                        new RecordingSocketHandler<>())) {
            assertThatIllegalArgumentException().isThrownBy(() -> lines.socket().write("01234567890"))
                .withMessageContaining("maxLength 10")
                .withMessageContaining("11");
            assertThatIllegalArgumentException().isThrownBy(() -> lines.socket().write("a\nb"))
                .withMessageContaining("'\\n'");
            assertThatIllegalArgumentException().isThrownBy(() -> lines.socket().write("a\r"))
                .withMessageContaining("'\\r'");
            assertThatIllegalArgumentException().isThrownBy(() -> prefixed.socket().write(new byte[256]))
                .withMessageContaining("maxLength 255");
            assertThatIllegalArgumentException().isThrownBy(() -> fixed.socket().write("abc"))
                .withMessageContaining("frameLength 4")
                .withMessageContaining("3");
            assertThatIllegalArgumentException().isThrownBy(() -> delimited.socket().write("xaay"))
                .withMessageContaining("delimiter");
            // its tail and the delimiter would form the delimiter earlier: "xa" + "aa"
            // is read as "x"
            assertThatIllegalArgumentException().isThrownBy(() -> delimited.socket().end("xa"))
                .withMessageContaining("found at byte 1");
            assertThat(delimited.socket().write("ax")).isEqualTo(2);
            assertThat(lines.socket().bytesWritten()).isZero();
            assertThat(lines.socket().write("0123456789")).isEqualTo(10);
            assertThat(lines.socket().write("")).isZero();
            assertThat(fixed.socket().write("abcd")).isEqualTo(4);
            lines.socket().end();
            assertThat(new String(lines.peer().in().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("0123456789\n\n");
        }
    }

    @Test
    void framingOnTheConnectorIsTheDefaultAndOptionsOverrideIt() throws Exception {
        try (SocketConnector framed = SocketConnector.builder().framing(Framing.lines(100)).build();
                TestServer server = TestServer.tcp()) {
            List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
                .onData((socket, data) -> received.add(data));
            Socket<Void> socket = framed
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            peer.write("one\ntwo\n");
            Await.until("two lines", Duration.ofSeconds(10), () -> received.size() == 2);
            assertThat(socket.write("three")).isEqualTo(5);
            assertThat(new String(peer.readExactly(6), StandardCharsets.US_ASCII)).isEqualTo("three\n");
            RecordingSocketHandler<Void> raw = new RecordingSocketHandler<>();
            Socket<Void> rawSocket = framed
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(raw)
                    .framing(Framing.none())
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer rawPeer = server.accept();
            assertThat(rawSocket.write("no line end")).isEqualTo(11);
            assertThat(new String(rawPeer.readExactly(11), StandardCharsets.US_ASCII)).isEqualTo("no line end");
            socket.terminate();
            rawSocket.terminate();
        }
    }

    @Test
    void managedEndpointBuffersWholeFramesWhileOfflineAndSendsEachAsOneFrame() throws Exception {
        int port = TestServer.freePort();
        try (SocketConnector managed = SocketConnector.builder()
            .endpoint("lines",
                    TcpSocketConnectOptions.<Void>builder()
                        .hostname("127.0.0.1")
                        .port(port)
                        .socket(new RecordingSocketHandler<>())
                        .framing(Framing.lines(100))
                        .build())
            .build()) {
            ManagedEndpoint endpoint = managed.manage("lines",
                    ReconnectPolicy.builder()
                        .initialBackoff(Duration.ofMillis(50))
                        .maxBackoff(Duration.ofMillis(100))
                        .offlineBufferSize(64)
                        .build());
            assertThat(endpoint.write("a")).isEqualTo(1);
            assertThat(endpoint.write("")).isZero();
            assertThat(endpoint.write("bb")).isEqualTo(2);
            assertThatIllegalArgumentException().isThrownBy(() -> endpoint.write("x\ny"))
                .withMessageContaining("'\\n'");
            assertThatIllegalArgumentException().isThrownBy(() -> endpoint.write("z".repeat(101)))
                .withMessageContaining("maxLength 100");
            // 3 of 64 bytes buffered: a frame of 62 does not fit, and is not cut
            assertThat(endpoint.write("c".repeat(62))).isZero();
            assertThat(endpoint.write("c".repeat(61))).isEqualTo(61);
            try (TestServer server = TestServer.tcpOnPort(port)) {
                TestServer.Peer peer = server.accept();
                assertThat(new String(peer.readExactly(68), StandardCharsets.US_ASCII))
                    .isEqualTo("a\n\nbb\n" + "c".repeat(61) + "\n");
                endpoint.close();
            }
        }
    }

    @Test
    void toBuilderKeepsTheFraming() {
        SocketHandler<Void> handler = new RecordingSocketHandler<>();
        TcpSocketConnectOptions<Void> tcp = TcpSocketConnectOptions.<Void>builder()
            .hostname("example.test")
            .port(1)
            .socket(handler)
            .framing(Framing.lines(7))
            .build();
        assertThat(tcp.toBuilder().build().framing()).isEqualTo(Framing.lines(7));
        UnixSocketOptions<Void> unix = UnixSocketOptions.<Void>builder()
            .unix("/tmp/x.sock")
            .socket(handler)
            .framing(Framing.fixed(3))
            .build();
        assertThat(unix.toBuilder().build().framing()).isEqualTo(Framing.fixed(3));
        assertThat(tcp.toBuilder().framing(null).build().framing()).isNull();
    }

    @Test
    void invalidFramingSettingsThrowNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lines(0)).withMessageContaining("maxLength");
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.delimiter(new byte[0], 10))
            .withMessageContaining("delimiter");
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.delimiter(new byte[] { 0 }, -1))
            .withMessageContaining("maxLength");
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lengthPrefixed(3, 10))
            .withMessageContaining("lengthFieldBytes must be 1, 2, 4 or 8 (was 3)");
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lengthPrefixed(4, 0))
            .withMessageContaining("maxLength");
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.fixed(0)).withMessageContaining("frameLength");
        byte[] delimiter = { 1, 2 };
        Framing framing = Framing.delimiter(delimiter, 10);
        delimiter[0] = 9;
        assertThat(framing).isEqualTo(Framing.delimiter(new byte[] { 1, 2 }, 10));
        assertThat(Framing.none()).isSameAs(Framing.none());
    }

}
