package dev.socketconnector.internal;

import java.net.InetSocketAddress;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import dev.socketconnector.Framing;
import dev.socketconnector.IpFamily;
import dev.socketconnector.ReadyState;
import dev.socketconnector.RequestReplyOptions;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.SocketListener;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.UnixSocketOptions;
import dev.socketconnector.internal.tls.TlsConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Socket} of one Netty channel. Public methods are safe from any thread: the
 * write path accepts bytes without a lock (a CAS on the reserved byte count), copies them
 * into one pooled buffer and writes it directly on the event loop, or through a lock-free
 * queue drained by one task from other threads. Event handling lives in
 * {@link SocketEventsHandler}.
 *
 * @param <D> the type of the socket's data
 */
final class NettySocket<D> extends TlsSocketMembers<D> {

    static final int CONNECTING = 0;

    static final int OPEN = 1;

    static final int CLOSING = 2;

    static final int CLOSED = 3;

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<NettySocket> STATE = AtomicIntegerFieldUpdater
        .newUpdater(NettySocket.class, "state");

    private static final byte[] NO_BYTES = {};

    private static final long NOT_OPENED = Long.MIN_VALUE;

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<NettySocket, CompletableFuture> CLOSE_FUTURE = AtomicReferenceFieldUpdater
        .newUpdater(NettySocket.class, CompletableFuture.class, "closeFuture");

    /**
     * {@link #keepingAlive}: a boolean, CASed through a VarHandle (an int for an
     * AtomicIntegerFieldUpdater would take the socket past a multiple of 8 bytes: 8 more
     * per socket).
     */
    private static final VarHandle KEEPING_ALIVE;

    static {
        try {
            KEEPING_ALIVE = MethodHandles.lookup().findVarHandle(NettySocket.class, "keepingAlive", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<NettySocket, OutboundBuffer> OUTBOUND = AtomicReferenceFieldUpdater
        .newUpdater(NettySocket.class, OutboundBuffer.class, "outbound");

    final NettySocketConnector connector;

    /**
     * The socket's number, unique per connector: its id in decimal.
     */
    final long number;

    /**
     * {@link #number} as the id string, made when first asked (a socket whose id nobody
     * reads does not hold one); a race makes equal strings, which is harmless.
     */
    private @Nullable String id;

    final @Nullable String endpoint;

    /**
     * What {@link #target()} is made of, kept instead of the user's options (an idle
     * socket keeps no options object; issue 14, idle memory): the hostname (with
     * {@link #port}), the unix path (port -1), or, for a list of addresses, the options
     * themselves (port -1).
     */
    private final Object where;

    /** The TCP port with a hostname, else -1. */
    private final int port;

    /** The options' {@code allowHalfOpen}. */
    final boolean allowHalfOpen;

    final boolean unix;

    /**
     * The socket's channel. A TCP connect may race several (Happy Eyeballs,
     * {@link AddressRace}): the winner is set here on the loop before the socket opens,
     * so user threads, which see the socket only from then on (the connect future,
     * {@code sockets()}), read the winner.
     */
    Channel channel;

    final EventLoop loop;

    final SocketEventsHandler<D> events;

    /**
     * Completed once the socket has closed (or failed to connect): what graceful shutdown
     * and a managed endpoint wait for. Made when first asked ({@link #closeFuture()}):
     * most sockets never are.
     */
    private volatile @Nullable CompletableFuture<Void> closeFuture;

    /** The socket has closed (or failed to connect): see {@link #closeCompleted()}. */
    private volatile boolean closeDone;

    /**
     * Both halves of the write path: accepting on any thread, writing, flushing and drain
     * on the loop. Made by the first write, or by the first step that closes the output
     * ({@link #outbound()}): a socket that never writes keeps none (issue 14, idle
     * memory). Read with {@link #outboundIfMade()} where "none yet" has an answer
     * (nothing written, nothing queued, output open).
     */
    private volatile @Nullable OutboundBuffer outbound;

    /**
     * The socket's framing, or null for raw bytes: what the {@code frames} handler
     * decodes and the write path encodes.
     */
    final @Nullable FrameCodec frames;

    /**
     * The pending requests, with the {@code requestReply} option (which needs a framing);
     * else null.
     */
    final @Nullable PendingRequests requests;

    volatile SocketHandler<D> handler;

    private volatile @Nullable D data;

    /**
     * CONNECTING, OPEN, CLOSING, CLOSED: only moves forward, only through
     * {@link #advance(int)}.
     */
    private volatile int state = CONNECTING;

    volatile long bytesRead;

    private volatile boolean keepingAlive;

    private volatile boolean referenced = true;

    /**
     * When open fired, in nanoseconds since the epoch, or {@link #NOT_OPENED}: a long
     * instead of an {@code Instant} saves an object per socket (openedAt() builds one).
     */
    private volatile long openedAtEpochNanos = NOT_OPENED;

    /**
     * Whether the channel's addresses have been read once connected
     * ({@link #cacheAddresses()}): from then on the getters read them from the channel,
     * which keeps them after close, so the socket keeps no copy.
     */
    private volatile boolean addressesCached;

    /**
     * The connector's registry (one map for every socket from connect() to close): the
     * connect future, which the connector's close fails if the loop never reported it.
     */
    volatile java.util.concurrent.@Nullable CompletableFuture<?> connectFuture;

    /**
     * The connector's registry: open has fired and close has not run, so
     * {@code sockets()} and {@code socket(id)} list this socket.
     */
    volatile boolean listed;

    NettySocket(NettySocketConnector connector, long number, @Nullable String endpoint, SocketConnectOptions<D> options,
            @Nullable TlsConnection tls, boolean unix, Channel channel, EventLoop loop) {
        this(connector, number, endpoint, options, tls, unix, channel, loop, Framing.none());
    }

    NettySocket(NettySocketConnector connector, long number, @Nullable String endpoint, SocketConnectOptions<D> options,
            @Nullable TlsConnection tls, boolean unix, Channel channel, EventLoop loop, Framing framing) {
        super((tls != null) ? tls : TlsConnection.PLAIN);
        this.connector = connector;
        this.number = number;
        this.endpoint = endpoint;
        if (options instanceof TcpSocketConnectOptions<D> tcp && tcp.hostname() != null) {
            this.where = tcp.hostname();
            this.port = tcp.port();
        }
        else {
            this.where = (options instanceof UnixSocketOptions<D> unixOptions) ? unixOptions.unix() : options;
            this.port = -1;
        }
        this.allowHalfOpen = options.allowHalfOpen();
        this.unix = unix;
        this.channel = channel;
        this.loop = loop;
        this.handler = options.socket();
        this.data = options.data();
        this.frames = FrameCodec.of(framing);
        this.events = new SocketEventsHandler<>(this, options);
        RequestReplyOptions requestReply = options.requestReply();
        this.requests = (requestReply != null && this.frames != null) ? new PendingRequests(this, requestReply) : null;
    }

    // ---- the write path, made on first use ----

    /**
     * The socket's write path, made by the first call. Any thread.
     * <p>
     * Thread safety: the buffer is published once, by a CAS on the volatile
     * {@link #outbound} field, and never replaced. Threads that race to make it (a writer
     * on another thread, the loop writing or closing the output) each build one, but only
     * the CAS winner's is ever used: every caller, the losers included, goes on with the
     * instance the field holds, and a loser's own instance has received nothing (it was
     * never reachable). So every reservation, every queued buffer and the closed bit live
     * in that one buffer, whose protocol (a CAS per reservation, a queue drained in order
     * by the loop) orders them exactly as before; no byte is lost or reordered by the
     * race. The volatile write of the CAS publishes the buffer's final fields and its
     * loop-confined fields at their initial values to the loop, which reads the field
     * before touching them.
     * @return the write path
     */
    OutboundBuffer outbound() {
        OutboundBuffer outbound = this.outbound;
        return (outbound != null) ? outbound : makeOutbound();
    }

    private OutboundBuffer makeOutbound() {
        ConnectorSettings settings = this.connector.settings();
        OutboundBuffer made = new OutboundBuffer(this, settings.writeBufferLowWaterMark(),
                settings.writeBufferHighWaterMark(), this.frames);
        return OUTBOUND.compareAndSet(this, null, made) ? made : Objects.requireNonNull(this.outbound);
    }

    /**
     * The write path if something has made it (a write, or closing the output), else
     * null: nothing was written and the output is open. Any thread.
     */
    @Nullable OutboundBuffer outboundIfMade() {
        return this.outbound;
    }

    // ---- identity and state ----

    /**
     * The future completed once the socket has closed (or failed to connect), made on
     * first call; already completed when asked after the close. Any thread.
     * @return the close future
     */
    @SuppressWarnings("unchecked")
    CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> future = this.closeFuture;
        if (future == null) {
            CompletableFuture<Void> made = new CompletableFuture<>();
            future = CLOSE_FUTURE.compareAndSet(this, null, made) ? made
                    : (CompletableFuture<Void>) Objects.requireNonNull(this.closeFuture);
            // read after publishing the future: closeCompleted() writes closeDone before
            // it
            // reads the future, so one of the two completes it
            if (this.closeDone) {
                future.complete(null);
            }
        }
        return future;
    }

    /** Whether the close future has been asked for (and so made). Any thread. */
    boolean closeFutureMade() {
        return this.closeFuture != null;
    }

    /**
     * The socket has closed (or failed to connect): completes its close future, now or
     * when it is first asked for. Any thread.
     */
    void closeCompleted() {
        this.closeDone = true;
        CompletableFuture<Void> future = this.closeFuture;
        if (future != null) {
            future.complete(null);
        }
    }

    int state() {
        return this.state;
    }

    /**
     * Moves the state forward to {@code target} atomically; the one place that changes
     * it. States only move forward (CONNECTING, OPEN, CLOSING, CLOSED), so a late
     * transition from a user thread can never undo the loop's CLOSED. Any thread.
     * @return true if this call moved it
     */
    boolean advance(int target) {
        for (;;) {
            int current = this.state;
            if (current >= target) {
                return false;
            }
            if (STATE.compareAndSet(this, current, target)) {
                return true;
            }
        }
    }

    boolean outputClosed() {
        OutboundBuffer outbound = this.outbound;
        return outbound != null && outbound.outputClosed();
    }

    /**
     * Closes the output for writers: later writes return -1 (see
     * {@link OutboundBuffer#closeOutput()}). Makes the write path if no write has: its
     * closed bit is what a racing writer's reservation checks.
     */
    void closeOutput() {
        outbound().closeOutput();
    }

    /**
     * The connect's target, as its options' {@code target()} says it: host:port (an IPv6
     * literal in brackets), the unix path, or the list of addresses. Any thread.
     * @return the target
     */
    String target() {
        Object where = this.where;
        if (where instanceof String text) {
            if (this.port < 0) {
                return text;
            }
            // the text of TcpSocketConnectOptions.target()
            return (text.indexOf(':') >= 0 ? "[" + text + "]" : text) + ":" + this.port;
        }
        return ((SocketConnectOptions<?>) where).target();
    }

    @Override
    public String id() {
        String id = this.id;
        if (id == null) {
            id = Long.toString(this.number);
            this.id = id;
        }
        return id;
    }

    @Override
    public @Nullable String endpoint() {
        return this.endpoint;
    }

    @Override
    public @Nullable Instant openedAt() {
        long nanos = this.openedAtEpochNanos;
        return (nanos != NOT_OPENED) ? Instant.ofEpochSecond(0, nanos) : null;
    }

    /** Records when open fired. Loop. */
    void markOpened(Instant now) {
        this.openedAtEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public ReadyState readyState() {
        return switch (this.state) {
            case OPEN -> ReadyState.OPEN;
            case CLOSING -> ReadyState.CLOSING;
            default -> ReadyState.CLOSED;
        };
    }

    @Override
    public long bytesWritten() {
        OutboundBuffer outbound = this.outbound;
        return (outbound != null) ? outbound.bytesWritten() : 0;
    }

    @Override
    public long bytesRead() {
        return this.bytesRead;
    }

    @Override
    public @Nullable D data() {
        return this.data;
    }

    @Override
    public void data(@Nullable D data) {
        this.data = data;
    }

    @Override
    public @Nullable SocketListener listener() {
        return null;
    }

    @Override
    public @Nullable String localAddress() {
        return SocketAddresses.text(local());
    }

    @Override
    public @Nullable IpFamily localFamily() {
        return SocketAddresses.family(local());
    }

    @Override
    public int localPort() {
        return SocketAddresses.port(local());
    }

    @Override
    public @Nullable String remoteAddress() {
        return SocketAddresses.text(remote());
    }

    @Override
    public @Nullable IpFamily remoteFamily() {
        return SocketAddresses.family(remote());
    }

    @Override
    public int remotePort() {
        return SocketAddresses.port(remote());
    }

    private @Nullable InetSocketAddress local() {
        return this.addressesCached ? SocketAddresses.inet(this.channel.localAddress()) : null;
    }

    private @Nullable InetSocketAddress remote() {
        return this.addressesCached ? SocketAddresses.inet(this.channel.remoteAddress()) : null;
    }

    /**
     * Reads the addresses once connected: the channel caches what it read (Netty's
     * {@code AbstractChannel} keeps both addresses once read, and clears them only on
     * {@code disconnect()}, which a TCP or unix socket channel turns into a close that
     * leaves them), so they stay readable after close, and the socket keeps no copy of
     * its own. Loop.
     */
    void cacheAddresses() {
        this.channel.localAddress();
        this.channel.remoteAddress();
        this.addressesCached = true;
    }

    // ---- writing ----

    @Override
    public int write(byte[] data) {
        return write0(data, 0, data.length);
    }

    @Override
    public int write(byte[] data, int byteOffset, int byteLength) {
        checkRange(data.length, byteOffset, byteLength);
        return write0(data, byteOffset, byteLength);
    }

    @Override
    public int write(String data) {
        return write(data.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int write(ByteBuffer data) {
        if (this.state != OPEN) {
            return -1;
        }
        OutboundBuffer outbound = outbound();
        return outbound.outputClosed() ? -1 : outbound.write(data);
    }

    private int write0(byte[] data, int offset, int length) {
        if (this.state != OPEN) {
            return -1;
        }
        OutboundBuffer outbound = outbound();
        return outbound.outputClosed() ? -1 : outbound.write(data, offset, length);
    }

    // ---- request/reply ----

    @Override
    public CompletableFuture<byte[]> request(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        PendingRequests pending = this.requests;
        if (pending == null) {
            throw new IllegalStateException("request needs the requestReply option (requestReply(RequestReplyOptions)"
                    + " on the connect options, with a framing), which " + this + " was connected without");
        }
        return pending.request(payload);
    }

    @Override
    public CompletableFuture<byte[]> request(String payload) {
        return request(payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a request's frame (see {@link OutboundBuffer#writeRequestFrame(byte[])}).
     * Any thread.
     * @return 1 when accepted, 0 when the buffer is full, -1 when closing or closed
     */
    int writeRequestFrame(byte[] payload) {
        if (this.state != OPEN) {
            return -1;
        }
        OutboundBuffer outbound = outbound();
        return outbound.outputClosed() ? -1 : outbound.writeRequestFrame(payload);
    }

    /**
     * Releases queued buffers after close. Loop, or any thread once the loop has
     * terminated.
     */
    void discardQueue() {
        OutboundBuffer outbound = this.outbound;
        if (outbound != null) {
            outbound.discardQueue();
        }
    }

    /**
     * Bytes accepted by write and not yet handed to the kernel (see
     * {@link OutboundBuffer#unsentBytes()}).
     */
    long unsentBytes() {
        OutboundBuffer outbound = this.outbound;
        return (outbound != null) ? outbound.unsentBytes() : nettyPendingBytes();
    }

    /** What Netty's own outbound buffer holds (its per-message overhead included). */
    long nettyPendingBytes() {
        ChannelOutboundBuffer outbound = this.channel.unsafe().outboundBuffer();
        return (outbound != null) ? outbound.totalPendingWriteBytes() : 0;
    }

    @Override
    public int end(byte[] data) {
        return end0(data, 0, data.length);
    }

    @Override
    public int end(byte[] data, int byteOffset, int byteLength) {
        checkRange(data.length, byteOffset, byteLength);
        return end0(data, byteOffset, byteLength);
    }

    @Override
    public int end(String data) {
        return end(data.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void end() {
        end0(NO_BYTES, 0, 0);
    }

    private int end0(byte[] data, int offset, int length) {
        if (this.state != OPEN || outputClosed()) {
            return -1;
        }
        // with a framing, end(data) sends one frame even for an empty payload; end()
        // sends none
        int accepted = (length > 0 || (this.frames != null && data != NO_BYTES)) ? write0(data, offset, length) : 0;
        if (accepted < 0) {
            return -1;
        }
        closeOutput();
        advance(CLOSING);
        execute(() -> this.events.closing().endOutput());
        return accepted;
    }

    @Override
    public void flush() {
        // with no write path made, nothing was written: nothing to flush
        OutboundBuffer outbound = this.outbound;
        if (outbound != null) {
            outbound.flush();
        }
    }

    @Override
    public void shutdown() {
        shutdown(false);
    }

    @Override
    public void shutdown(boolean halfClose) {
        if (this.state != OPEN) {
            return;
        }
        if (halfClose) {
            if (advance(CLOSING)) {
                // end and close each run in their own task, never nested inside this call
                // (even on the loop)
                executeLater(() -> this.events.closing().shutdownInput());
            }
        }
        else if (!outputClosed()) {
            closeOutput();
            execute(() -> this.events.closing().shutdownOutput());
        }
    }

    @Override
    public void terminate() {
        if (this.state == CLOSED) {
            return;
        }
        closeOutput();
        advance(CLOSING);
        execute(() -> this.events.closing().terminate());
    }

    /**
     * Closes the socket with {@code error} as close's error (the default error handler).
     */
    void closeWithError(Throwable error) {
        if (this.state == CLOSED) {
            return;
        }
        closeOutput();
        execute(() -> this.events.closing().closeWithError(error));
    }

    @Override
    public void timeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be 0 (cancel) or more (was " + seconds + ")");
        }
        if (this.state == CLOSED) {
            return;
        }
        execute(() -> this.events.closing().armTimeout(seconds));
    }

    @Override
    public boolean setKeepAlive(boolean enable, int initialDelay) {
        if (initialDelay < 0) {
            throw new IllegalArgumentException(
                    "initialDelay must be 0 or more milliseconds (was " + initialDelay + ")");
        }
        if (this.state == CLOSED || this.unix || !this.channel.isOpen()) {
            return false;
        }
        try {
            return this.connector.nettyTransport().keepAlive(this.channel, enable, initialDelay / 1000);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    @Override
    public boolean setKeepAlive(boolean enable) {
        return setKeepAlive(enable, 0);
    }

    @Override
    public boolean setKeepAlive() {
        return setKeepAlive(false, 0);
    }

    @Override
    public boolean setNoDelay(boolean noDelay) {
        if (this.state == CLOSED || !this.channel.isOpen()) {
            return false;
        }
        if (this.unix) {
            return true;
        }
        try {
            return this.channel.config().setOption(ChannelOption.TCP_NODELAY, noDelay);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    @Override
    public boolean setNoDelay() {
        return setNoDelay(true);
    }

    @Override
    public void ref() {
        this.referenced = true;
        holdJvm();
    }

    @Override
    public void unref() {
        this.referenced = false;
        releaseJvm();
    }

    boolean referenced() {
        return this.referenced;
    }

    /** Takes this socket's hold on the JVM if it is open and referenced. */
    void holdJvm() {
        if (this.referenced && this.state != CLOSED && this.state != CONNECTING
                && KEEPING_ALIVE.compareAndSet(this, false, true)) {
            JvmKeepAlive.INSTANCE.acquire();
            if (this.state == CLOSED) {
                releaseJvm();
            }
        }
    }

    /** Releases this socket's hold on the JVM, if it has one. */
    void releaseJvm() {
        if (KEEPING_ALIVE.compareAndSet(this, true, false)) {
            JvmKeepAlive.INSTANCE.release();
        }
    }

    @Override
    public void reload(SocketHandler<D> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Runs {@code task} now on the loop, or in a loop task from another thread. */
    void execute(Runnable task) {
        if (this.loop.inEventLoop()) {
            task.run();
        }
        else {
            executeLater(task);
        }
    }

    /** Runs {@code task} in its own event-loop task, even when called on the loop. */
    private void executeLater(Runnable task) {
        try {
            this.loop.execute(task);
        }
        catch (java.util.concurrent.RejectedExecutionException ex) {
            // the connector has shut its loops down: the channel is gone with them
            discardQueue();
        }
    }

    private static void checkRange(int length, int byteOffset, int byteLength) {
        if (byteOffset < 0 || byteOffset > length) {
            throw new IndexOutOfBoundsException(
                    "byteOffset must be between 0 and " + length + " (was " + byteOffset + ")");
        }
        if (byteLength < 0 || byteLength > length - byteOffset) {
            throw new IndexOutOfBoundsException(
                    "byteLength must be between 0 and " + (length - byteOffset) + " (was " + byteLength + ")");
        }
    }

    @Override
    public String toString() {
        return "Socket[id=" + id() + ", endpoint=" + this.endpoint + ", target=" + target() + ", readyState="
                + readyState().value() + ", tls=" + isTls() + "]";
    }

}
