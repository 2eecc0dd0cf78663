package dev.socketconnector.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.internal.tls.TlsConnection;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NettySocket} on an {@link EmbeddedChannel}: the socket's events handler is the
 * channel's only handler, its events are fired by the test, and what it writes is read
 * back with {@link EmbeddedChannel#readOutbound()}. No port, no thread but the test's
 * (unless a test passes another loop for the cross-thread write path). The connector is
 * real (for its observer and sockets map) and is closed by {@link #close()}.
 *
 * @param <D> the socket's data type
 */
final class EmbeddedSocket<D> implements AutoCloseable {

    final NettySocketConnector connector;

    final EmbeddedChannel channel;

    final NettySocket<D> socket;

    final CompletableFuture<Socket<D>> future = new CompletableFuture<>();

    private EmbeddedSocket(NettySocketConnector connector, EmbeddedChannel channel, NettySocket<D> socket) {
        this.connector = connector;
        this.channel = channel;
        this.socket = socket;
    }

    /**
     * A plain socket with the default water marks, connecting (the deadline armed, the
     * channel not yet active).
     */
    static <D> EmbeddedSocket<D> connecting(SocketHandler<D> handler) {
        return connecting(handler, TlsConnection.PLAIN, 512 * 1024, 1024 * 1024, false, null);
    }

    /**
     * A socket connecting on an embedded channel.
     * @param loop the socket's loop, or null for the channel's own (whose inEventLoop()
     * is always true)
     */
    static <D> EmbeddedSocket<D> connecting(SocketHandler<D> handler, TlsConnection tls, int lowWaterMark,
            int highWaterMark, boolean allowHalfOpen, @Nullable EventLoop loop) {
        NettySocketConnector connector = (NettySocketConnector) SocketConnector.builder()
            .eventLoopThreads(1)
            .writeBufferWaterMark(lowWaterMark, highWaterMark)
            .build();
        // registered (so it has its loop) with no handler yet: channelActive is fired by
        // the test
        EmbeddedChannel channel = new EmbeddedChannel();
        TcpSocketConnectOptions<D> options = TcpSocketConnectOptions.<D>builder()
            .hostname("127.0.0.1")
            .port(9)
            .socket(handler)
            .allowHalfOpen(allowHalfOpen)
            .build();
        NettySocket<D> socket = new NettySocket<>(connector, 1, null, options, tls, false, channel,
                (loop != null) ? loop : channel.eventLoop());
        EmbeddedSocket<D> embedded = new EmbeddedSocket<>(connector, channel, socket);
        // tracked from connect() as the Dialer does: the connector's registry
        connector.track(socket, embedded.future);
        socket.events.connecting(embedded.future, System.nanoTime(), TimeUnit.SECONDS.toNanos(10));
        channel.pipeline().addLast(PipelineNames.EVENTS, socket.events);
        return embedded;
    }

    /** Fires channelActive: a plain socket opens, a TLS socket starts its handshake. */
    EmbeddedSocket<D> active() {
        this.channel.pipeline().fireChannelActive();
        return this;
    }

    @Override
    public void close() {
        this.channel.finishAndReleaseAll();
        this.connector.close();
    }

}
