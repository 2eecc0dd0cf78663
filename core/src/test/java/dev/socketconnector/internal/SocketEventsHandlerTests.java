package dev.socketconnector.internal;

import java.nio.charset.StandardCharsets;

import dev.socketconnector.ReadyState;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.internal.tls.TlsConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SocketEventsHandler} on an {@link io.netty.channel.embedded.EmbeddedChannel}:
 * Netty events in, the {@code SocketHandler} calls out, in Bun's order, without a port.
 */
@Timeout(30)
class SocketEventsHandlerTests {

    @Test
    void eventsReachTheHandlerInOrderOpenDataEndClose() {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler).active()) {
            embedded.channel.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
            embedded.channel.writeInbound(Unpooled.copiedBuffer(" world", StandardCharsets.UTF_8));
            embedded.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            embedded.channel.runPendingTasks();

            assertThat(handler.rawEvents()).containsExactly("open", "data", "data", "end", "close");
            assertThat(new String(handler.received(), StandardCharsets.UTF_8)).isEqualTo("hello world");
            assertThat(embedded.socket.bytesRead()).isEqualTo(11);
            assertThat(embedded.socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(handler.closeError()).isNull();
        }
    }

    @Test
    void peerEndWithAllowHalfOpenKeepsTheSocketWritableUntilEnd() {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket
            .connecting(handler, TlsConnection.PLAIN, 512 * 1024, 1024 * 1024, true, null)
            .active()) {
            embedded.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            embedded.channel.runPendingTasks();
            assertThat(handler.rawEvents()).containsExactly("open", "end");
            assertThat(embedded.socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(embedded.socket.write("bye")).isEqualTo(3);

            embedded.socket.end();
            embedded.channel.runPendingTasks();
            assertThat(handler.rawEvents()).containsExactly("open", "end", "close");
        }
    }

    @Test
    void handlerThatThrowsInDataGoesToErrorAndTheDefaultErrorHandlerClosesOnce() {
        IllegalStateException thrown = new IllegalStateException("bad frame");
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((socket, data) -> {
            throw thrown;
        });
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler).active()) {
            embedded.channel.writeInbound(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));
            embedded.channel.runPendingTasks();
            // Netty reports the close twice (inactive, unregistered): close fires once
            embedded.channel.pipeline().fireChannelInactive();
            embedded.channel.pipeline().fireChannelUnregistered();

            assertThat(handler.rawEvents()).containsExactly("open", "data", "error", "close");
            assertThat(handler.errors()).containsExactly(thrown);
            assertThat(handler.closeError()).isSameAs(thrown);
        }
    }

    @Test
    void writesInsideACallbackAreFlushedOnceWhenItReturns() {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((socket, data) -> {
            socket.write("a");
            socket.write("b");
        });
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler).active()) {
            embedded.channel.writeInbound(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));

            // flushed by channelReadComplete, with no task left to run
            assertThat(embedded.channel.outboundMessages()).hasSize(2);
            assertThat(embedded.socket.bytesWritten()).isEqualTo(2);
            assertThat(embedded.channel.hasPendingTasks()).isFalse();
        }
    }

}
