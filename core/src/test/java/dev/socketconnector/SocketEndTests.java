package dev.socketconnector;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for end, shutdown (both forms) and terminate, seen from a real peer.
 */
class SocketEndTests {

    private final SocketConnector connector = SocketConnector.create();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private <D> Socket<D> connect(TestServer server, RecordingSocketHandler<D> handler) throws Exception {
        return this.connector.connect(
                TcpSocketConnectOptions.<D>builder().hostname("127.0.0.1").port(server.port()).socket(handler).build())
            .get(10, TimeUnit.SECONDS);
    }

    @Test
    void endWithDataDeliversItThenFinThenCloses() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            socket.write("first ");
            assertThat(socket.end("last")).isEqualTo(4);
            assertThat(socket.readyState()).isIn(ReadyState.CLOSING, ReadyState.CLOSED);
            assertThat(socket.end("again")).isEqualTo(-1);
            assertThat(socket.write("more")).isEqualTo(-1);
            assertThat(new String(peer.readToEnd())).isEqualTo("first last");
            assertThat(handler.awaitClose()).isNull();
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(socket.bytesWritten()).isEqualTo(10);
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void endOnUnixSocketSendsFin() throws Exception {
        try (TestServer server = TestServer.unix()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = this.connector
                .connect(UnixSocketOptions.<Void>builder().unix(server.path()).socket(handler).build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            byte[] bytes = new byte[100];
            assertThat(socket.readyState()).as("events %s", handler.events()).isEqualTo(ReadyState.OPEN);
            assertThat(socket.end(bytes, 10, 20)).isEqualTo(20);
            assertThat(peer.readToEnd()).hasSize(20);
            assertThat(handler.awaitClose()).isNull();
        }
    }

    @Test
    void unixPeerFinFiresEndThenClose() throws Exception {
        try (TestServer server = TestServer.unix()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            this.connector.connect(UnixSocketOptions.<Void>builder().unix(server.path()).socket(handler).build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            peer.write("last words");
            peer.shutdownOutput();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "data", "end", "close");
            assertThat(new String(handler.received())).isEqualTo("last words");
        }
    }

    @Test
    void shutdownKeepsReadingUntilThePeerClosesAndFiresNoEnd() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            socket.write("request");
            socket.shutdown();
            assertThat(socket.write("x")).isEqualTo(-1);
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(new String(peer.readToEnd())).isEqualTo("request");
            peer.write("reply");
            peer.close();
            assertThat(handler.awaitClose()).isNull();
            assertThat(new String(handler.received())).isEqualTo("reply");
            assertThat(handler.events()).containsExactly("open", "data", "close");
        }
    }

    @Test
    void shutdownReadSideFiresEndThenCloseAndPeerSeesFin() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            socket.shutdown(true);
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "end", "close");
            assertThat(peer.readToEnd()).isEmpty();
        }
    }

    @Test
    void terminateResetsTheConnectionAndClosesWithoutError() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            socket.terminate();
            assertThat(handler.awaitClose()).isNull();
            assertThatThrownBy(peer::readToEnd).isInstanceOf(IOException.class)
                .hasMessageContaining("Connection reset");
            assertThat(socket.write("x")).isEqualTo(-1);
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void repliesAfterOurEndAreNotDelivered() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            socket.end("bye");
            assertThat(new String(peer.readToEnd())).isEqualTo("bye");
            try {
                peer.write("too late");
            }
            catch (IOException ex) {
                // the socket may already be gone
            }
            handler.awaitClose();
            assertThat(handler.received()).isEmpty();
        }
    }

    @Test
    void endFromAnotherThreadWhileWritingKeepsAcceptedBytes() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            CompletableFuture<byte[]> received = peer.readToEndAsync();
            long accepted = 0;
            for (int i = 0; i < 1000; i++) {
                int n = socket.write(new byte[1000]);
                if (n < 0) {
                    break;
                }
                accepted += n;
            }
            socket.end();
            assertThat((long) received.get(10, TimeUnit.SECONDS).length).isEqualTo(accepted);
            assertThat(socket.bytesWritten()).isEqualTo(accepted);
        }
    }

}
