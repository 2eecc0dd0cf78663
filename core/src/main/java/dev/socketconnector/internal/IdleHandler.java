package dev.socketconnector.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketTransportException;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One socket's read-idle timeout and heartbeat (pipeline name {@code idle}, behind the
 * {@code SslHandler}): two timers on the channel's event loop, started when the socket
 * opens.
 * <p>
 * Reading and writing cost one clock read and one field store per read batch
 * ({@code channelReadComplete}) and per flush; every other event passes this handler by
 * (Netty skips the methods it does not override), and sockets without either setting have
 * no such handler at all. Netty's {@code IdleStateHandler} was not used: it attaches a
 * listener to every write's promise (a new promise for each void one), which the write
 * path avoids.
 * <ul>
 * <li>Read idle: when nothing has been received for the timeout (raw bytes, TLS records
 * included), the socket is reset and closes with a {@link SocketTransportException}
 * {@code ETIMEDOUT} whose cause says for how long (close reason {@code idle}). The timer
 * stops once the peer's FIN (or close_notify) has ended the input.</li>
 * <li>Heartbeat: when nothing has been flushed for the interval, the payload is written
 * through {@link OutboundBuffer#writeUncounted(byte[])}, the path every {@code write}
 * takes, whole or not at all (skipped while the outbound buffer is full: the peer is not
 * reading, and the user timeout or read idle must decide), and not counted in
 * {@code bytesWritten()}.</li>
 * </ul>
 * Every field is confined to the channel's event loop.
 */
final class IdleHandler extends ChannelDuplexHandler {

    private final NettySocket<?> socket;

    private final long readIdleNanos;

    private final long heartbeatNanos;

    private final byte[] payload;

    private final Runnable readCheck = this::readCheck;

    private final Runnable heartbeatCheck = this::heartbeatCheck;

    private long lastRead;

    private long lastWrite;

    private boolean stopped;

    private @Nullable ScheduledFuture<?> readTimer;

    private @Nullable ScheduledFuture<?> heartbeatTimer;

    private IdleHandler(NettySocket<?> socket, Duration readIdle, Duration heartbeat, byte[] payload) {
        this.socket = socket;
        this.readIdleNanos = readIdle.toNanos();
        this.heartbeatNanos = heartbeat.toNanos();
        this.payload = payload;
    }

    /**
     * Returns the handler for a socket's options (each unset one taken from the
     * connector's defaults), or null when neither a read-idle timeout nor a heartbeat
     * applies.
     */
    static @Nullable IdleHandler of(NettySocket<?> socket, SocketConnectOptions<?> options,
            ConnectorSettings settings) {
        Duration readIdle = options.readIdleTimeout();
        if (readIdle == null) {
            readIdle = settings.readIdleTimeout();
        }
        Duration heartbeat = options.heartbeatInterval();
        byte[] payload;
        if (heartbeat == null) {
            heartbeat = settings.heartbeatInterval();
            payload = settings.heartbeatPayload();
        }
        else {
            byte[] own = options.heartbeatPayload();
            payload = (own != null) ? own : new byte[0];
        }
        if (readIdle.isZero() && heartbeat.isZero()) {
            return null;
        }
        return new IdleHandler(socket, readIdle, heartbeat, payload);
    }

    /** The socket has opened: the timers start now. Loop. */
    void start() {
        long now = System.nanoTime();
        this.lastRead = now;
        this.lastWrite = now;
        if (this.readIdleNanos > 0) {
            this.readTimer = this.socket.loop.schedule(this.readCheck, this.readIdleNanos, TimeUnit.NANOSECONDS);
        }
        if (this.heartbeatNanos > 0) {
            this.heartbeatTimer = this.socket.loop.schedule(this.heartbeatCheck, this.heartbeatNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        this.lastRead = System.nanoTime();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        this.lastWrite = System.nanoTime();
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        this.stopped = true;
        ScheduledFuture<?> timer = this.readTimer;
        if (timer != null) {
            timer.cancel(false);
            this.readTimer = null;
        }
        timer = this.heartbeatTimer;
        if (timer != null) {
            timer.cancel(false);
            this.heartbeatTimer = null;
        }
    }

    private void readCheck() {
        this.readTimer = null;
        if (this.stopped || this.socket.state() == NettySocket.CLOSED || this.socket.events.inputEnded()
                || this.socket.events.lingering()) {
            return;
        }
        long idle = System.nanoTime() - this.lastRead;
        if (idle < this.readIdleNanos) {
            this.readTimer = this.socket.loop.schedule(this.readCheck, this.readIdleNanos - idle, TimeUnit.NANOSECONDS);
            return;
        }
        this.stopped = true;
        this.socket.events.closing()
            .closeErrorIfNone(new SocketTransportException("ETIMEDOUT", "read",
                    new IOException("read idle for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms (readIdleTimeout "
                            + TimeUnit.NANOSECONDS.toMillis(this.readIdleNanos) + " ms): nothing received from "
                            + this.socket.target())));
        this.socket.terminate();
    }

    private void heartbeatCheck() {
        this.heartbeatTimer = null;
        if (this.stopped || this.socket.state() != NettySocket.OPEN || this.socket.outputClosed()) {
            return;
        }
        long now = System.nanoTime();
        long idle = now - this.lastWrite;
        if (idle >= this.heartbeatNanos) {
            this.socket.outbound().writeUncounted(this.payload);
            // counts as a write even when skipped (the buffer is full): the next try
            // is an interval away
            this.lastWrite = now;
            idle = 0;
        }
        this.heartbeatTimer = this.socket.loop.schedule(this.heartbeatCheck, this.heartbeatNanos - idle,
                TimeUnit.NANOSECONDS);
    }

}
