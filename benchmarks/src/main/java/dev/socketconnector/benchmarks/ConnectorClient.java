package dev.socketconnector.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.socketconnector.ReadyState;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketConnectorBuilder;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.UnixSocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark commands on the connector's public API only ({@link SocketConnector},
 * {@link SocketHandler}, {@link Socket}), written the way a user writes Bun-style code:
 * {@code write} returns what was accepted, the rest is kept and retried on {@code drain};
 * every handler runs on the event loop and never blocks; the main thread waits on
 * futures.
 */
public final class ConnectorClient implements BenchmarkClient {

    @Override
    public Json throughput(RunSpec spec) {
        try (SocketConnector connector = connector(spec)) {
            byte[] chunk = Payload.chunk((int) Math.min(spec.chunk(), spec.bytes()));
            ThroughputHandler handler = new ThroughputHandler(chunk, spec.bytes());
            connect(connector, spec, handler).whenComplete((socket, error) -> {
                if (error != null) {
                    Waits.failed(handler.result, "connect to " + spec.target(), error);
                }
            });
            long count = Waits.await(handler.result, spec.timeout(), () -> "throughput");
            if (count != spec.bytes()) {
                throw new BenchmarkFailure("server counted " + count + " bytes but " + spec.bytes() + " were sent");
            }
            return Results
                .throughput(spec.bytes(), handler.startNanos, handler.endNanos, handler.cpuStart, handler.cpuEnd)
                .field("client", "connector");
        }
    }

    @Override
    public Json pingpong(RunSpec spec) {
        try (SocketConnector connector = connector(spec)) {
            List<PingPongHandler> handlers = new ArrayList<>();
            List<CompletableFuture<Socket<Void>>> opens = new ArrayList<>();
            for (int i = 0; i < spec.conns(); i++) {
                PingPongHandler handler = new PingPongHandler(i, spec.size(), spec.count());
                handlers.add(handler);
                opens.add(connect(connector, spec, handler));
            }
            List<Socket<Void>> sockets = new ArrayList<>();
            for (CompletableFuture<Socket<Void>> open : opens) {
                sockets.add(Waits.await(open, spec.timeout(), () -> "pingpong connect to " + spec.target()));
            }
            CpuClock.Reading cpuStart = CpuClock.now();
            long start = System.nanoTime();
            for (int i = 0; i < handlers.size(); i++) {
                handlers.get(i).start(sockets.get(i));
            }
            long end = start;
            long[][] rtts = new long[handlers.size()][];
            for (int i = 0; i < handlers.size(); i++) {
                PingPongHandler handler = handlers.get(i);
                end = Math.max(end, Waits.await(handler.done, spec.timeout(), () -> "pingpong"));
                rtts[i] = handler.rtt;
            }
            CpuClock.Reading cpuEnd = CpuClock.now();
            sockets.forEach(Socket::end);
            return Results.pingpong(spec, start, end, new Latencies(rtts), cpuStart, cpuEnd)
                .field("client", "connector");
        }
    }

    @Override
    public Json connect(RunSpec spec) {
        try (SocketConnector connector = connector(spec)) {
            // one untimed connection first, so one-time setup (TLS context, trust store)
            // is out of the rate
            ConnectRun warmUp = new ConnectRun(connector, withCount(spec, 1));
            warmUp.launch();
            Waits.await(warmUp.done, spec.timeout(), () -> "warm-up connect");
            ConnectRun run = new ConnectRun(connector, spec);
            CpuClock.Reading cpuStart = CpuClock.now();
            long start = System.nanoTime();
            for (int i = 0; i < Math.min(spec.concurrency(), spec.count()); i++) {
                run.launch();
            }
            long end = Waits.await(run.allOpened, spec.timeout(),
                    () -> "connect (" + run.opened.get() + " of " + spec.count() + " opened)");
            Waits.await(run.done, spec.timeout(), () -> "closing the connections");
            Json json = Results.connect(spec.count(), start, end, cpuStart, CpuClock.now());
            if (spec.tls()) {
                json.field("resumed", (long) run.resumed.get());
            }
            return json.field("client", "connector");
        }
    }

    @Override
    public Json idle(RunSpec spec) {
        try (SocketConnector connector = connector(spec)) {
            openAll(connector, spec, Math.min(8, spec.conns())).forEach(Socket::end);
            long heapBefore = MemoryProbe.heapAfterFullGc();
            MemoryProbe.Resident rssBefore = MemoryProbe.baseline();
            MemoryProbe.holdBeforeIfAsked();
            List<Socket<Void>> sockets = openAll(connector, spec, spec.conns());
            long heapAfter = MemoryProbe.heapAfterFullGc();
            MemoryProbe.Resident rssAfter = MemoryProbe.resident();
            MemoryProbe.holdIfAsked();
            for (Socket<Void> socket : sockets) {
                if (socket.readyState() != ReadyState.OPEN) {
                    throw new BenchmarkFailure("a connection closed while idle (" + socket.readyState() + ")");
                }
            }
            sockets.forEach(Socket::end);
            return Results.idle(spec.conns(), rssBefore, rssAfter, heapAfter - heapBefore).field("client", "connector");
        }
    }

    private static List<Socket<Void>> openAll(SocketConnector connector, RunSpec spec, int conns) {
        SocketHandler<Void> handler = new SocketHandler<>() {
            @Override
            public void error(Socket<Void> socket, Throwable error) {
                BenchmarkMain.log("idle connection error: %s", error);
                socket.terminate();
            }
        };
        List<Socket<Void>> sockets = new ArrayList<>(conns);
        int batch = 100;
        for (int from = 0; from < conns; from += batch) {
            List<CompletableFuture<Socket<Void>>> opens = new ArrayList<>();
            for (int i = from; i < Math.min(conns, from + batch); i++) {
                opens.add(connect(connector, spec, handler));
            }
            for (CompletableFuture<Socket<Void>> open : opens) {
                sockets.add(Waits.await(open, spec.timeout(), () -> "idle connect to " + spec.target()));
            }
        }
        return sockets;
    }

    static RunSpec withCount(RunSpec spec, int count) {
        return new RunSpec(spec.target(), spec.tls(), spec.insecure(), spec.bytes(), spec.chunk(), spec.size(), count,
                spec.conns(), spec.concurrency(), spec.threads(), spec.timeout(), spec.transport());
    }

    private static SocketConnector connector(RunSpec spec) {
        SocketConnectorBuilder builder = SocketConnector.builder().transport(spec.transport());
        if (spec.threads() > 0) {
            builder.eventLoopThreads(spec.threads());
        }
        return builder.build();
    }

    private static <D> CompletableFuture<Socket<D>> connect(SocketConnector connector, RunSpec spec,
            SocketHandler<D> handler) {
        TlsOptions tls = spec.tls() ? TlsOptions.builder().rejectUnauthorized(!spec.insecure()).build() : null;
        BenchOptions.Target target = spec.target();
        String unix = target.unix();
        if (unix != null) {
            return connector.connect(UnixSocketOptions.<D>builder().unix(unix).socket(handler).tls(tls).build());
        }
        return connector.connect(TcpSocketConnectOptions.<D>builder()
            .hostname(java.util.Objects.requireNonNull(target.host(), "a TCP target has a host"))
            .port(target.port())
            .socket(handler)
            .tls(tls)
            .build());
    }

    /**
     * Sends the bytes from {@code open} and {@code drain}, half-closes, then reads the
     * 8-byte count.
     */
    static final class ThroughputHandler implements SocketHandler<Void> {

        final CompletableFuture<Long> result = new CompletableFuture<>();

        private final byte[] chunk;

        private long remaining;

        private int offset;

        private boolean shutdown;

        private final byte[] reply = new byte[8];

        private int replyLength;

        long startNanos;

        long endNanos;

        CpuClock.@Nullable Reading cpuStart;

        CpuClock.@Nullable Reading cpuEnd;

        ThroughputHandler(byte[] chunk, long bytes) {
            this.chunk = chunk;
            this.remaining = bytes;
        }

        @Override
        public void open(Socket<Void> socket) {
            TlsSeen.record(socket);
            this.cpuStart = CpuClock.now();
            this.startNanos = System.nanoTime();
            pump(socket);
        }

        @Override
        public void drain(Socket<Void> socket) {
            pump(socket);
        }

        private void pump(Socket<Void> socket) {
            while (this.remaining > 0) {
                int length = (int) Math.min(this.chunk.length - this.offset, this.remaining);
                int accepted = socket.write(this.chunk, this.offset, length);
                if (accepted < 0) {
                    this.result.completeExceptionally(
                            new BenchmarkFailure("write returned -1 with " + this.remaining + " bytes left"));
                    socket.terminate();
                    return;
                }
                this.remaining -= accepted;
                this.offset += accepted;
                if (this.offset == this.chunk.length) {
                    this.offset = 0;
                }
                if (accepted < length) {
                    return;
                }
            }
            if (!this.shutdown) {
                this.shutdown = true;
                socket.shutdown();
            }
        }

        @Override
        public void data(Socket<Void> socket, byte[] data) {
            if (this.replyLength + data.length > 8) {
                this.result.completeExceptionally(new BenchmarkFailure(
                        "server sent " + (this.replyLength + data.length) + " bytes instead of an 8-byte count"));
                socket.terminate();
                return;
            }
            System.arraycopy(data, 0, this.reply, this.replyLength, data.length);
            this.replyLength += data.length;
            if (this.replyLength == 8) {
                this.endNanos = System.nanoTime();
                this.cpuEnd = CpuClock.now();
            }
        }

        @Override
        public void close(Socket<Void> socket, @Nullable Throwable error) {
            if (error != null) {
                this.result.completeExceptionally(Waits.failure("connection closed with an error", error));
            }
            else if (this.replyLength == 8) {
                this.result.complete(java.nio.ByteBuffer.wrap(this.reply).getLong());
            }
            else {
                this.result.completeExceptionally(new BenchmarkFailure("short read: connection closed after "
                        + this.replyLength + " of the 8 count bytes (" + this.remaining + " bytes unsent)"));
            }
        }

        @Override
        public void error(Socket<Void> socket, Throwable error) {
            this.result.completeExceptionally(Waits.failure("socket error", error));
            socket.terminate();
        }

    }

    /**
     * One connection's ping-pong: the next message is written from {@code data} once the
     * echo is complete.
     */
    static final class PingPongHandler implements SocketHandler<Void> {

        /** Completes with the nanoTime of the last round trip. */
        final CompletableFuture<Long> done = new CompletableFuture<>();

        final long[] rtt;

        private final int id;

        private final byte[] message;

        private final int count;

        private int round;

        private int received;

        private int sent;

        private long sentAt;

        PingPongHandler(int id, int size, int count) {
            this.id = id;
            this.message = new byte[size];
            this.count = count;
            this.rtt = new long[count];
        }

        void start(Socket<Void> socket) {
            TlsSeen.record(socket);
            send(socket);
        }

        private void send(Socket<Void> socket) {
            Payload.fill(this.message, this.id, this.round);
            this.sent = 0;
            this.sentAt = System.nanoTime();
            writeRest(socket);
        }

        private void writeRest(Socket<Void> socket) {
            int accepted = socket.write(this.message, this.sent, this.message.length - this.sent);
            if (accepted < 0) {
                fail(socket, new BenchmarkFailure("write returned -1 on connection " + this.id));
                return;
            }
            this.sent += accepted;
        }

        @Override
        public void drain(Socket<Void> socket) {
            if (this.sent < this.message.length) {
                writeRest(socket);
            }
        }

        @Override
        public void data(Socket<Void> socket, byte[] data) {
            if (this.round >= this.count || this.received + data.length > this.message.length) {
                fail(socket, new BenchmarkFailure(
                        "echo longer than sent on connection " + this.id + ", round " + this.round));
                return;
            }
            for (int i = 0; i < data.length; i++) {
                if (data[i] != Payload.at(this.id, this.round, this.received + i)) {
                    fail(socket, Payload.mismatch(this.id, this.round, this.received + i, data[i]));
                    return;
                }
            }
            this.received += data.length;
            if (this.received == this.message.length) {
                long now = System.nanoTime();
                this.rtt[this.round++] = now - this.sentAt;
                this.received = 0;
                if (this.round == this.count) {
                    this.done.complete(now);
                }
                else {
                    send(socket);
                }
            }
        }

        @Override
        public void close(Socket<Void> socket, @Nullable Throwable error) {
            if (!this.done.isDone()) {
                this.done.completeExceptionally(new BenchmarkFailure(
                        "connection " + this.id + " closed after " + this.round + " of " + this.count + " round trips"
                                + (error != null ? ": " + BenchmarkMain.oneLine(error) : "")));
            }
        }

        @Override
        public void error(Socket<Void> socket, Throwable error) {
            fail(socket, Waits.failure("socket error on connection " + this.id, error));
        }

        private void fail(Socket<Void> socket, BenchmarkFailure failure) {
            this.done.completeExceptionally(failure);
            socket.terminate();
        }

    }

    /**
     * Keeps {@code concurrency} connects in flight: each socket is counted in
     * {@code open}, ended, replaced. {@code allOpened} completes with the time the last
     * one opened (the rate), {@code done} once all have closed.
     */
    static final class ConnectRun implements SocketHandler<Void> {

        final CompletableFuture<Long> allOpened = new CompletableFuture<>();

        final CompletableFuture<Long> done = new CompletableFuture<>();

        final AtomicInteger opened = new AtomicInteger();

        final AtomicInteger resumed = new AtomicInteger();

        private final AtomicInteger launched = new AtomicInteger();

        private final AtomicInteger closed = new AtomicInteger();

        private final SocketConnector connector;

        private final RunSpec spec;

        ConnectRun(SocketConnector connector, RunSpec spec) {
            this.connector = connector;
            this.spec = spec;
        }

        void launch() {
            if (this.launched.getAndIncrement() >= this.spec.count() || this.done.isDone()) {
                return;
            }
            connect(this.connector, this.spec, this).whenComplete((socket, error) -> {
                if (error != null) {
                    fail("connect to " + this.spec.target(), error);
                }
            });
        }

        private void fail(String what, Throwable error) {
            Waits.failed(this.allOpened, what, error);
            Waits.failed(this.done, what, error);
        }

        // no handshake callback: a failed handshake fails the connect future (launch()),
        // and like the plain Netty client this one does not look at the authorization
        // error, so the connector need not verify the chain for it (--insecure)

        @Override
        public void connectError(Socket<Void> socket, Throwable error) {
            fail("connect to " + this.spec.target(), error);
        }

        @Override
        public void open(Socket<Void> socket) {
            if (this.spec.tls() && socket.isSessionReused()) {
                this.resumed.incrementAndGet();
            }
            if (this.opened.incrementAndGet() == this.spec.count()) {
                this.allOpened.complete(System.nanoTime());
            }
            socket.end();
            launch();
        }

        @Override
        public void close(Socket<Void> socket, @Nullable Throwable error) {
            if (error != null) {
                fail("connection closed with an error", error);
            }
            else if (this.closed.incrementAndGet() == this.spec.count()) {
                this.done.complete(System.nanoTime());
            }
        }

        @Override
        public void error(Socket<Void> socket, Throwable error) {
            fail("socket error", error);
            socket.terminate();
        }

    }

}
