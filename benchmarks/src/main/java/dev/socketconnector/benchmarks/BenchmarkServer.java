package dev.socketconnector.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark server of BENCHMARKS.md, on Netty: {@code count} reads to the end of the
 * stream, answers with the 8-byte big-endian byte count and closes; {@code echo} echoes
 * everything back. It listens on a loopback address or a unix socket path, plain or TLS
 * (self-signed, see {@link ServerTls}).
 */
public final class BenchmarkServer implements AutoCloseable {

    /** What the server does with each connection. */
    public enum Mode {

        /**
         * Count bytes to the end of the stream, reply with the 8-byte big-endian count,
         * close.
         */
        COUNT,
        /** Echo everything back; close after the peer's FIN. */
        ECHO

    }

    private final @Nullable EventLoopGroup boss;

    private final @Nullable EventLoopGroup workers;

    private final @Nullable Channel channel;

    private final @Nullable UnixCountServer unixCount;

    private final @Nullable String unix;

    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private BenchmarkServer(@Nullable EventLoopGroup boss, @Nullable EventLoopGroup workers, @Nullable Channel channel,
            @Nullable UnixCountServer unixCount, @Nullable String unix) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.unixCount = unixCount;
        this.unix = unix;
    }

    /**
     * Starts a server in one of the standard modes; with TLS, {@code count} runs on the
     * JDK provider (it needs TLS 1.3 half-close) and {@code echo} on OpenSSL when
     * available.
     * @param mode count or echo
     * @param host the address to bind (used when {@code unix} is null)
     * @param port the port, 0 for any free port
     * @param unix a unix socket path, or null for TCP
     * @param tls whether to serve TLS with a self-signed certificate
     * @param threads worker threads, 0 for Netty's default
     * @return the running server
     */
    public static BenchmarkServer start(Mode mode, String host, int port, @Nullable String unix, boolean tls,
            int threads) {
        if (mode == Mode.COUNT && unix != null && tls) {
            throw new IllegalArgumentException("--mode count with --tls on --unix is not supported: Netty's NIO "
                    + "domain sockets cannot half-close");
        }
        if (mode == Mode.COUNT && unix != null) {
            try {
                return new BenchmarkServer(null, null, null, new UnixCountServer(unix), unix);
            }
            catch (IOException ex) {
                throw new BenchmarkFailure("cannot start the server on " + unix + ": " + ex, ex);
            }
        }
        Supplier<ChannelHandler> handlers = (mode == Mode.COUNT) ? CountHandler::new : EchoHandler::new;
        SslProvider provider = (mode == Mode.COUNT || !OpenSsl.isAvailable()) ? SslProvider.JDK : SslProvider.OPENSSL;
        return start(handlers, host, port, unix, tls ? ServerTls.selfSignedServerContext(provider) : null, threads);
    }

    /**
     * Starts a server whose connections run a handler from {@code handlers} (tests use it
     * for a faulty peer).
     * @param handlers makes the per-connection handler
     * @param host the address to bind (used when {@code unix} is null)
     * @param port the port, 0 for any free port
     * @param unix a unix socket path, or null for TCP
     * @param tls the server TLS context, or null for plain
     * @param threads worker threads, 0 for Netty's default
     * @return the running server
     */
    public static BenchmarkServer start(Supplier<ChannelHandler> handlers, String host, int port, @Nullable String unix,
            @Nullable SslContext tls, int threads) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // NioDomainSocketChannel ignores ChannelOption.ALLOW_HALF_CLOSURE
                        // (Netty 4.2), its
                        // config does not: set it here for TCP and unix alike.
                        if (ch.config() instanceof DuplexChannelConfig duplex) {
                            duplex.setAllowHalfClosure(true);
                        }
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("bench", handlers.get());
                    }
                });
            SocketAddress address;
            if (unix != null) {
                Files.deleteIfExists(Path.of(unix));
                bootstrap.channel(NioServerDomainSocketChannel.class);
                address = UnixDomainSocketAddress.of(unix);
            }
            else {
                bootstrap.channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
                address = new InetSocketAddress(host, port);
            }
            Channel channel = bootstrap.bind(address).sync().channel();
            return new BenchmarkServer(boss, workers, channel, null, unix);
        }
        catch (IOException | RuntimeException ex) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new BenchmarkFailure(
                    "cannot start the server on " + (unix != null ? unix : host + ":" + port) + ": " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailure("interrupted while binding", ex);
        }
    }

    /**
     * Runs the {@code server} command: starts the server, prints one JSON line saying
     * where it listens, and serves until the process is killed.
     * @param options {@code --mode}, {@code --host}, {@code --port}, {@code --unix},
     * {@code --tls}, {@code --threads}
     * @param out where the JSON line goes
     */
    static void runUntilKilled(BenchOptions options, PrintStream out) {
        String modeName = options.required("mode");
        Mode mode;
        try {
            mode = Mode.valueOf(modeName.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("option --mode must be count or echo (was '" + modeName + "')");
        }
        String host = options.string("host", "127.0.0.1");
        int port = parsePort(options.string("port", "0"));
        int threads = options.optional("threads") == null ? 0 : options.intSize("threads", 0);
        BenchmarkServer server = start(mode, host, port, options.optional("unix"), options.flag("tls"), threads);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bench-server-shutdown"));
        Json json = Json.bench("server")
            .field("mode", mode.name().toLowerCase(Locale.ROOT))
            .field("tls", options.flag("tls"));
        if (server.unix != null) {
            json.field("unix", server.unix);
        }
        else {
            json.field("host", host).field("port", server.port());
        }
        out.println(json);
        out.flush();
        try {
            server.closed.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException(
                "option --port must be between 0 (any free port) and 65535 (was '" + text + "')");
    }

    /**
     * Returns the TCP port the server listens on.
     * @return the port, or -1 for a unix socket
     */
    public int port() {
        Channel channel = this.channel;
        return (channel != null && channel.localAddress() instanceof InetSocketAddress inet) ? inet.getPort() : -1;
    }

    /** Stops listening, closes every connection and stops the threads. */
    @Override
    public void close() {
        if (this.unixCount != null) {
            this.unixCount.close();
        }
        if (this.channel != null) {
            this.channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (this.boss != null && this.workers != null) {
            this.boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            this.workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        this.closed.countDown();
        if (this.unix != null) {
            try {
                Files.deleteIfExists(Path.of(this.unix));
            }
            catch (IOException ex) {
                // a stale socket file is replaced on the next start
            }
        }
    }

    /** Counts bytes to the end of the stream, answers with the count and closes. */
    static final class CountHandler extends ChannelInboundHandlerAdapter {

        private long count;

        private boolean replied;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                this.count += buf.readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent
                    || (evt instanceof SslCloseCompletionEvent close && close.isSuccess())) {
                if (!this.replied) {
                    this.replied = true;
                    ByteBuf reply = ctx.alloc().buffer(8).writeLong(this.count);
                    ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
                }
            }
            else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof java.io.IOException)) {
                BenchmarkMain.log("server connection error: %s", cause);
            }
            ctx.close();
        }

    }

    /**
     * Echoes everything, stops reading while the peer does not keep up, closes after the
     * peer's FIN.
     */
    static final class EchoHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent
                    || (evt instanceof SslCloseCompletionEvent close && close.isSuccess())) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof java.io.IOException)) {
                BenchmarkMain.log("server connection error: %s", cause);
            }
            ctx.close();
        }

    }

}
