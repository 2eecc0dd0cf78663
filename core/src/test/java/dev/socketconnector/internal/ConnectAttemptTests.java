package dev.socketconnector.internal;

import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import dev.socketconnector.ReadyState;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.TlsAuthorizationException;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.internal.tls.TlsConnection;
import dev.socketconnector.internal.tls.TlsConnections;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ConnectAttempt} on an {@link io.netty.channel.embedded.EmbeddedChannel}: the
 * connect outcomes in the orders SEMANTICS fixes, without a port.
 */
@Timeout(30)
class ConnectAttemptTests {

    @Test
    void connectFailureFiresConnectErrorOnlyAndFailsTheFuture() throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler)) {
            embedded.socket.events.connectFailed(new ConnectException("Connection refused"));
            embedded.channel.runPendingTasks();

            assertThat(handler.rawEvents()).containsExactly("connectError");
            assertThat(embedded.socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(embedded.channel.isOpen()).isFalse();
            assertThat(handler.awaitConnectError()).isInstanceOfSatisfying(SocketConnectException.class,
                    (error) -> assertThat(error.code()).isEqualTo("ECONNREFUSED"));
            // (the future's own code is not checked here: EmbeddedChannel.close() runs
            // channelInactive inside
            // the close call, before connectError, where a real channel runs it in a
            // later task)
            assertThat(embedded.future).isCompletedExceptionally();
            // a second outcome (the channel's own close) changes nothing
            embedded.socket.events.connectFailed(new ConnectException("again"));
            assertThat(handler.rawEvents()).containsExactly("connectError");
        }
    }

    @Test
    void failedHandshakeFiresHandshakeFalseThenCloseThenFailsTheFuture() {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        TlsConnection tls = new TlsConnections(() -> TlsOptions.DEFAULTS).newConnection(TlsOptions.DEFAULTS,
                "localhost", 443, ByteBufAllocator.DEFAULT);
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler, tls, 512 * 1024, 1024 * 1024, false,
                null)) {
            embedded.active();
            assertThat(handler.rawEvents()).isEmpty();
            assertThat(embedded.socket.write("early")).isEqualTo(-1);

            embedded.channel.pipeline()
                .fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no cipher")));
            embedded.channel.runPendingTasks();

            assertThat(handler.rawEvents()).containsExactly("handshake:false", "close");
            assertThat(embedded.channel.isOpen()).isFalse();
            assertThatThrownBy(() -> embedded.future.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TlsAuthorizationException.class);
        }
    }

    @Test
    void openThatThrowsGoesToErrorThenCloseAndTheFutureFailsWithWhatItThrew() {
        IllegalStateException thrown = new IllegalStateException("open failed");
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((socket) -> {
            throw thrown;
        }).onError((socket, error) -> {
        });
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler)) {
            embedded.active();
            embedded.channel.runPendingTasks();

            assertThat(handler.rawEvents()).containsExactly("open", "error", "close");
            assertThat(handler.errors()).containsExactly(thrown);
            assertThat(embedded.channel.isOpen()).isFalse();
            assertThatThrownBy(() -> embedded.future.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause()
                .isSameAs(thrown);
        }
    }

    @Test
    void openCompletesTheFutureWithTheOpenSocket() throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket.connecting(handler)) {
            embedded.active();

            assertThat(handler.rawEvents()).containsExactly("open");
            assertThat(embedded.future.get(0, TimeUnit.SECONDS)).isSameAs(embedded.socket);
            assertThat(embedded.socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(embedded.connector.sockets()).containsExactly(embedded.socket);
        }
    }

}
