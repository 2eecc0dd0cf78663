package dev.socketconnector.benchmarks;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;

import dev.socketconnector.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The baseline: every command written directly on Netty 4.2 the way an expert would, so
 * the connector's overhead reads as a ratio. Pooled direct buffers, writability-driven
 * backpressure ({@code channelWritabilityChanged}), flushes batched per write burst or
 * per read loop, the run's transport (NIO, epoll or io_uring, {@code --transport}) on a
 * {@link MultiThreadIoEventLoopGroup} of one event loop unless {@code --threads} says
 * otherwise (the benchmark contract's plain Netty client, {@code BENCHMARKS.md}), and the
 * connector's defaults where they matter (TCP_NODELAY, write-buffer water marks 512 KiB /
 * 1 MiB, OpenSSL when available).
 */
public final class RawNettyClient implements BenchmarkClient {

    /**
     * Event loops when {@code --threads} is not given: one, as the contract's plain Netty
     * client (and Bun) run, not Netty's default of two per core.
     */
    static final int DEFAULT_THREADS = 1;

    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    @Override
    public Json throughput(RunSpec spec) {
        try (Client client = new Client(spec)) {
            byte[] chunk = Payload.chunk((int) Math.min(spec.chunk(), spec.bytes()));
            ThroughputHandler handler = new ThroughputHandler(chunk, spec.bytes(), spec.tls());
            client.connect(() -> handler);
            long count = Waits.await(handler.result, spec.timeout(), () -> "throughput");
            if (count != spec.bytes()) {
                throw new BenchmarkFailure("server counted " + count + " bytes but " + spec.bytes() + " were sent");
            }
            return Results
                .throughput(spec.bytes(), handler.startNanos, handler.endNanos, handler.cpuStart, handler.cpuEnd)
                .field("client", "raw-netty");
        }
    }

    @Override
    public Json pingpong(RunSpec spec) {
        try (Client client = new Client(spec)) {
            List<PingPongHandler> handlers = new ArrayList<>();
            for (int i = 0; i < spec.conns(); i++) {
                PingPongHandler handler = new PingPongHandler(i, spec.size(), spec.count());
                handlers.add(handler);
                client.connect(() -> handler).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        Waits.failed(handler.ready, "connect", f.cause());
                    }
                });
            }
            for (PingPongHandler handler : handlers) {
                Waits.await(handler.ready, spec.timeout(), () -> "pingpong connect");
            }
            CpuClock.Reading cpuStart = CpuClock.now();
            long start = System.nanoTime();
            for (PingPongHandler handler : handlers) {
                handler.start();
            }
            long end = start;
            long[][] rtts = new long[handlers.size()][];
            for (int i = 0; i < handlers.size(); i++) {
                PingPongHandler handler = handlers.get(i);
                end = Math.max(end, Waits.await(handler.done, spec.timeout(), () -> "pingpong"));
                rtts[i] = handler.rtt;
            }
            CpuClock.Reading cpuEnd = CpuClock.now();
            for (PingPongHandler handler : handlers) {
                handler.ctx().close();
            }
            return Results.pingpong(spec, start, end, new Latencies(rtts), cpuStart, cpuEnd)
                .field("client", "raw-netty");
        }
    }

    @Override
    public Json connect(RunSpec spec) {
        try (Client client = new Client(spec)) {
            // one untimed connection first, as the connector client does
            ConnectRun warmUp = new ConnectRun(client, 1);
            warmUp.launch();
            Waits.await(warmUp.done, spec.timeout(), () -> "warm-up connect");
            ConnectRun run = new ConnectRun(client, spec.count());
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
            return json.field("client", "raw-netty");
        }
    }

    @Override
    public Json idle(RunSpec spec) {
        try (Client client = new Client(spec)) {
            openAll(client, Math.min(8, spec.conns()), spec).forEach(Channel::close);
            long heapBefore = MemoryProbe.heapAfterFullGc();
            MemoryProbe.Resident rssBefore = MemoryProbe.baseline();
            MemoryProbe.holdBeforeIfAsked();
            List<Channel> channels = openAll(client, spec.conns(), spec);
            long heapAfter = MemoryProbe.heapAfterFullGc();
            MemoryProbe.Resident rssAfter = MemoryProbe.resident();
            MemoryProbe.holdIfAsked();
            for (Channel channel : channels) {
                if (!channel.isActive()) {
                    throw new BenchmarkFailure("a connection closed while idle");
                }
            }
            channels.forEach(Channel::close);
            return Results.idle(spec.conns(), rssBefore, rssAfter, heapAfter - heapBefore).field("client", "raw-netty");
        }
    }

    private static List<Channel> openAll(Client client, int conns, RunSpec spec) {
        List<Channel> channels = new ArrayList<>(conns);
        int batch = 100;
        for (int from = 0; from < conns; from += batch) {
            List<CompletableFuture<Channel>> opens = new ArrayList<>();
            for (int i = from; i < Math.min(conns, from + batch); i++) {
                CompletableFuture<Channel> open = new CompletableFuture<>();
                opens.add(open);
                client.connect(() -> new OpenHandler(open)).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        Waits.failed(open, "connect", f.cause());
                    }
                });
            }
            for (CompletableFuture<Channel> open : opens) {
                channels.add(Waits.await(open, spec.timeout(), () -> "idle connect"));
            }
        }
        return channels;
    }

    /** One event-loop group, bootstrap and TLS context for a run. */
    static final class Client implements AutoCloseable {

        final EventLoopGroup group;

        final Bootstrap bootstrap;

        final SocketAddress remote;

        final @Nullable SslContext ssl;

        final RunSpec spec;

        Client(RunSpec spec) {
            this.spec = spec;
            this.group = new MultiThreadIoEventLoopGroup((spec.threads() > 0) ? spec.threads() : DEFAULT_THREADS,
                    ioHandlerFactory(spec.transport()));
            this.ssl = spec.tls() ? clientContext(spec.insecure()) : null;
            this.bootstrap = new Bootstrap().group(this.group)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            BenchOptions.Target target = spec.target();
            if (target.unix() != null) {
                switch (spec.transport()) {
                    case EPOLL -> this.bootstrap.channel(EpollDomainSocketChannel.class);
                    case IO_URING -> this.bootstrap.channel(IoUringDomainSocketChannel.class);
                    default -> this.bootstrap.channel(NioDomainSocketChannel.class);
                }
                this.remote = (spec.transport() == Transport.NIO) ? UnixDomainSocketAddress.of(target.unix())
                        : new DomainSocketAddress(target.unix());
            }
            else {
                switch (spec.transport()) {
                    case EPOLL -> this.bootstrap.channel(EpollSocketChannel.class);
                    case IO_URING -> this.bootstrap.channel(IoUringSocketChannel.class);
                    default -> this.bootstrap.channel(NioSocketChannel.class);
                }
                this.bootstrap.option(ChannelOption.TCP_NODELAY, true);
                this.remote = new InetSocketAddress(target.host(), target.port());
            }
        }

        private static IoHandlerFactory ioHandlerFactory(Transport transport) {
            return switch (transport) {
                case EPOLL -> EpollIoHandler.newFactory();
                case IO_URING -> IoUringIoHandler.newFactory();
                case NIO -> NioIoHandler.newFactory();
                case AUTO -> throw new IllegalStateException("AUTO is resolved by RunSpec");
            };
        }

        private static SslContext clientContext(boolean insecure) {
            SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
            if (insecure) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            try {
                return builder.build();
            }
            catch (javax.net.ssl.SSLException ex) {
                throw new BenchmarkFailure("cannot build the client TLS context: " + ex, ex);
            }
        }

        ChannelFuture connect(Supplier<ChannelHandler> handler) {
            SslContext ssl = this.ssl;
            BenchOptions.Target target = this.spec.target();
            return this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (ssl != null) {
                        ch.pipeline()
                            .addLast("tls",
                                    target.host() != null ? ssl.newHandler(ch.alloc(), target.host(), target.port())
                                            : ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast("bench", handler.get());
                }
            }).connect(this.remote);
        }

        @Override
        public void close() {
            this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }

    }

    /**
     * Base: signals "open" after channelActive on plain sockets, after the handshake on
     * TLS.
     */
    abstract static class OpenAwareHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.pipeline().get(SslHandler.class) == null) {
                opened(ctx);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                    if (ssl != null) {
                        TlsSeen.record(ssl.engine().getSession().getProtocol(),
                                ssl.engine().getSession().getCipherSuite());
                    }
                    opened(ctx);
                }
                else {
                    failed(ctx, Waits.failure("TLS handshake", handshake.cause()));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(ctx, Waits.failure("connection error", cause));
            ctx.close();
        }

        abstract void opened(ChannelHandlerContext ctx);

        abstract void failed(ChannelHandlerContext ctx, BenchmarkFailure failure);

    }

    static final class ThroughputHandler extends OpenAwareHandler {

        final CompletableFuture<Long> result = new CompletableFuture<>();

        private final byte[] chunk;

        private final boolean tls;

        private long remaining;

        private final byte[] reply = new byte[8];

        private int replyLength;

        long startNanos;

        long endNanos;

        CpuClock.@Nullable Reading cpuStart;

        CpuClock.@Nullable Reading cpuEnd;

        ThroughputHandler(byte[] chunk, long bytes, boolean tls) {
            this.chunk = chunk;
            this.remaining = bytes;
            this.tls = tls;
        }

        @Override
        void opened(ChannelHandlerContext ctx) {
            this.cpuStart = CpuClock.now();
            this.startNanos = System.nanoTime();
            pump(ctx);
        }

        @Override
        void failed(ChannelHandlerContext ctx, BenchmarkFailure failure) {
            this.result.completeExceptionally(failure);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && this.remaining > 0) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            Channel channel = ctx.channel();
            boolean wrote = false;
            while (this.remaining > 0 && channel.isWritable()) {
                int length = (int) Math.min(this.chunk.length, this.remaining);
                ByteBuf buf = ctx.alloc().directBuffer(length).writeBytes(this.chunk, 0, length);
                this.remaining -= length;
                if (this.remaining == 0) {
                    ctx.writeAndFlush(buf).addListener((ChannelFuture f) -> lastWritten(ctx, f));
                    return;
                }
                ctx.write(buf, ctx.voidPromise());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        private void lastWritten(ChannelHandlerContext ctx, ChannelFuture written) {
            if (!written.isSuccess()) {
                this.result.completeExceptionally(Waits.failure("write", written.cause()));
                return;
            }
            DuplexChannel channel = (DuplexChannel) ctx.channel();
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (this.tls && ssl != null) {
                ssl.closeOutbound().addListener((f) -> channel.shutdownOutput());
            }
            else {
                channel.shutdownOutput();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf in = (ByteBuf) msg;
                int length = in.readableBytes();
                if (this.replyLength + length > 8) {
                    this.result.completeExceptionally(new BenchmarkFailure(
                            "server sent " + (this.replyLength + length) + " bytes instead of an 8-byte count"));
                    ctx.close();
                    return;
                }
                in.readBytes(this.reply, this.replyLength, length);
                this.replyLength += length;
                if (this.replyLength == 8) {
                    this.endNanos = System.nanoTime();
                    this.cpuEnd = CpuClock.now();
                }
            }
            finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (this.replyLength == 8) {
                this.result.complete(java.nio.ByteBuffer.wrap(this.reply).getLong());
            }
            else {
                this.result.completeExceptionally(new BenchmarkFailure("short read: connection closed after "
                        + this.replyLength + " of the 8 count bytes (" + this.remaining + " bytes unsent)"));
            }
            ctx.fireChannelInactive();
        }

    }

    static final class PingPongHandler extends OpenAwareHandler {

        final CompletableFuture<Void> ready = new CompletableFuture<>();

        /** Completes with the nanoTime of the last round trip. */
        final CompletableFuture<Long> done = new CompletableFuture<>();

        final long[] rtt;

        private final int id;

        private final byte[] message;

        private final int count;

        private int round;

        private int received;

        private long sentAt;

        private boolean flushNeeded;

        private @Nullable ChannelHandlerContext ctx;

        PingPongHandler(int id, int size, int count) {
            this.id = id;
            this.message = new byte[size];
            this.count = count;
            this.rtt = new long[count];
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        ChannelHandlerContext ctx() {
            ChannelHandlerContext ctx = this.ctx;
            if (ctx == null) {
                throw new IllegalStateException("not connected");
            }
            return ctx;
        }

        @Override
        void opened(ChannelHandlerContext ctx) {
            this.ready.complete(null);
        }

        @Override
        void failed(ChannelHandlerContext ctx, BenchmarkFailure failure) {
            this.ready.completeExceptionally(failure);
            this.done.completeExceptionally(failure);
        }

        void start() {
            ChannelHandlerContext ctx = ctx();
            ctx.executor().execute(() -> {
                send(ctx);
                ctx.flush();
                this.flushNeeded = false;
            });
        }

        private void send(ChannelHandlerContext ctx) {
            Payload.fill(this.message, this.id, this.round);
            ByteBuf buf = ctx.alloc().directBuffer(this.message.length).writeBytes(this.message);
            this.sentAt = System.nanoTime();
            ctx.write(buf, ctx.voidPromise());
            this.flushNeeded = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int length = in.readableBytes();
                if (this.round >= this.count || this.received + length > this.message.length) {
                    failed(ctx, new BenchmarkFailure(
                            "echo longer than sent on connection " + this.id + ", round " + this.round));
                    ctx.close();
                    return;
                }
                int base = in.readerIndex();
                for (int i = 0; i < length; i++) {
                    byte actual = in.getByte(base + i);
                    if (actual != Payload.at(this.id, this.round, this.received + i)) {
                        failed(ctx, Payload.mismatch(this.id, this.round, this.received + i, actual));
                        ctx.close();
                        return;
                    }
                }
                this.received += length;
                if (this.received == this.message.length) {
                    long now = System.nanoTime();
                    this.rtt[this.round++] = now - this.sentAt;
                    this.received = 0;
                    if (this.round == this.count) {
                        this.done.complete(now);
                    }
                    else {
                        send(ctx);
                    }
                }
            }
            finally {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (this.flushNeeded) {
                this.flushNeeded = false;
                ctx.flush();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!this.done.isDone()) {
                failed(ctx, new BenchmarkFailure("connection " + this.id + " closed after " + this.round + " of "
                        + this.count + " round trips"));
            }
            ctx.fireChannelInactive();
        }

    }

    /**
     * Keeps {@code concurrency} connects in flight: each open channel is counted, closed
     * and replaced. {@code allOpened} completes with the time the last one opened (the
     * rate), {@code done} once all have closed.
     */
    static final class ConnectRun {

        final CompletableFuture<Long> allOpened = new CompletableFuture<>();

        final CompletableFuture<Long> done = new CompletableFuture<>();

        final AtomicInteger opened = new AtomicInteger();

        final AtomicInteger resumed = new AtomicInteger();

        private final AtomicInteger launched = new AtomicInteger();

        private final AtomicInteger closed = new AtomicInteger();

        private final Client client;

        private final int count;

        ConnectRun(Client client, int count) {
            this.client = client;
            this.count = count;
        }

        void launch() {
            if (this.launched.getAndIncrement() >= this.count || this.done.isDone()) {
                return;
            }
            this.client.connect(() -> new OpenAwareHandler() {
                @Override
                void opened(ChannelHandlerContext ctx) {
                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                    if (ssl != null) {
                        if (isSessionReused(ssl.engine())) {
                            ConnectRun.this.resumed.incrementAndGet();
                        }
                    }
                    if (ConnectRun.this.opened.incrementAndGet() == ConnectRun.this.count) {
                        ConnectRun.this.allOpened.complete(System.nanoTime());
                    }
                    endThenClose(ctx, ssl).addListener((f) -> {
                        if (ConnectRun.this.closed.incrementAndGet() == ConnectRun.this.count) {
                            ConnectRun.this.done.complete(System.nanoTime());
                        }
                    });
                    launch();
                }

                @Override
                void failed(ChannelHandlerContext ctx, BenchmarkFailure failure) {
                    ConnectRun.this.allOpened.completeExceptionally(failure);
                    ConnectRun.this.done.completeExceptionally(failure);
                }
            }).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    Waits.failed(this.allOpened, "connect", f.cause());
                    Waits.failed(this.done, "connect", f.cause());
                }
            });
        }

    }

    /**
     * Closes the way the connector's {@code Socket.end()} does, so both connect clients
     * pay the same close: close_notify first on TLS, then the FIN
     * ({@code shutdownOutput}), then {@code close()}. Completes once closed.
     */
    static ChannelFuture endThenClose(ChannelHandlerContext ctx, @Nullable SslHandler ssl) {
        Channel channel = ctx.channel();
        Runnable finAndClose = () -> {
            if (channel instanceof DuplexChannel duplex && duplex.isActive()) {
                duplex.shutdownOutput().addListener((ChannelFuture f) -> channel.close());
            }
            else {
                channel.close();
            }
        };
        if (ssl != null) {
            ssl.closeOutbound().addListener((f) -> finAndClose.run());
        }
        else {
            finAndClose.run();
        }
        return channel.closeFuture();
    }

    /**
     * Reads OpenSSL's "session reused" flag (package-private in Netty 4.2, hence
     * reflection); false on the JDK.
     */
    static boolean isSessionReused(SSLEngine engine) {
        if (!(engine instanceof ReferenceCountedOpenSslEngine)) {
            return false;
        }
        try {
            java.lang.reflect.Method method = ReferenceCountedOpenSslEngine.class.getDeclaredMethod("isSessionReused");
            method.setAccessible(true);
            return (Boolean) method.invoke(engine);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return false;
        }
    }

    /** Completes with the channel once it is open (after the handshake with TLS). */
    static final class OpenHandler extends OpenAwareHandler {

        private final CompletableFuture<Channel> open;

        OpenHandler(CompletableFuture<Channel> open) {
            this.open = open;
        }

        @Override
        void opened(ChannelHandlerContext ctx) {
            this.open.complete(ctx.channel());
        }

        @Override
        void failed(ChannelHandlerContext ctx, BenchmarkFailure failure) {
            this.open.completeExceptionally(failure);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

    }

}
