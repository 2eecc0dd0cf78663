package dev.socketconnector;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the event sequence and threads: peer FIN with and without half-open, peer
 * reset, handler exceptions, reload.
 */
class SocketEventsTests {

    private final SocketConnector connector = SocketConnector.builder().eventLoopThreads(2).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private <D> Socket<D> connect(TestServer server, RecordingSocketHandler<D> handler, boolean allowHalfOpen)
            throws Exception {
        return this.connector
            .connect(TcpSocketConnectOptions.<D>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(handler)
                .allowHalfOpen(allowHalfOpen)
                .build())
            .get(10, TimeUnit.SECONDS);
    }

    @Test
    void peerFinWithoutHalfOpenFiresEndThenCloseAndWritesInEndAreDelivered() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            AtomicInteger writtenInEnd = new AtomicInteger();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
                .onEnd((s) -> writtenInEnd.set(s.write("bye")));
            Socket<Void> socket = connect(server, handler, false);
            TestServer.Peer peer = server.accept();
            peer.write("hi");
            handler.awaitBytes(2);
            peer.shutdownOutput();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "data", "end", "close");
            assertThat(handler.threads()).hasSize(1);
            assertThat(handler.threads().iterator().next()).startsWith("socket-connector-");
            assertThat(writtenInEnd.get()).isEqualTo(3);
            assertThat(new String(peer.readToEnd())).isEqualTo("bye");
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(socket.write("late")).isEqualTo(-1);
            assertThat(this.connector.sockets()).isEmpty();
        }
    }

    @Test
    void peerFinWithHalfOpenKeepsSocketOpenAndWritable() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler, true);
            TestServer.Peer peer = server.accept();
            peer.write("hi");
            peer.shutdownOutput();
            Await.poll(Duration.ofSeconds(5), () -> handler.events().contains("end"));
            assertThat(handler.events()).containsExactly("open", "data", "end");
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(socket.write("still here")).isEqualTo(10);
            assertThat(new String(peer.readExactly(10))).isEqualTo("still here");
            socket.end();
            assertThat(handler.awaitClose()).isNull();
            assertThat(peer.readToEnd()).isEmpty();
            assertThat(handler.events()).containsExactly("open", "data", "end", "close");
        }
    }

    @Test
    void peerResetClosesWithEconnresetAndNoEndOrError() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler, false);
            TestServer.Peer peer = server.accept();
            peer.write("x");
            handler.awaitBytes(1);
            peer.reset();
            Throwable error = handler.awaitClose();
            assertThat(error).isInstanceOf(SocketTransportException.class);
            assertThat(((SocketTransportException) error).code()).isEqualTo("ECONNRESET");
            assertThat(handler.events()).containsExactly("open", "data", "close");
            assertThat(socket.write("x")).isEqualTo(-1);
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
        }
    }

    @Test
    void exceptionFromDataGoesToErrorAndSocketStaysOpen() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            IllegalStateException boom = new IllegalStateException("boom");
            AtomicInteger calls = new AtomicInteger();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((s, d) -> {
                if (calls.incrementAndGet() == 1) {
                    throw boom;
                }
            }).onError((s, e) -> {
            });
            Socket<Void> socket = connect(server, handler, false);
            TestServer.Peer peer = server.accept();
            peer.write("a");
            handler.awaitBytes(1);
            Thread.sleep(50);
            peer.write("b");
            handler.awaitBytes(2);
            assertThat(handler.errors()).containsExactly(boom);
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(handler.events()).startsWith("open", "data", "error", "data");
        }
    }

    @Test
    void defaultErrorHandlerClosesWithTheException() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            IllegalStateException boom = new IllegalStateException("boom");
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((s, d) -> {
                throw boom;
            });
            connect(server, handler, false);
            TestServer.Peer peer = server.accept();
            peer.write("a");
            assertThat(handler.awaitClose()).isSameAs(boom);
            assertThat(handler.events()).containsExactly("open", "data", "error", "close");
            assertThat(peer.readToEnd()).isEmpty();
        }
    }

    @Test
    void exceptionFromOpenClosesSocketAndFailsTheFuture() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            IllegalStateException boom = new IllegalStateException("open failed");
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((s) -> {
                throw boom;
            }).onError((s, e) -> {
            });
            CompletableFuture<Socket<Void>> future = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(handler)
                .build());
            assertThat(SocketConnectTests.failure(future)).isSameAs(boom);
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "error", "close");
            assertThat(this.connector.sockets()).isEmpty();
        }
    }

    @Test
    void exceptionFromErrorItselfIsContainedAndOtherSocketsAreUnaffected() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> bad = new RecordingSocketHandler<Void>().onData((s, d) -> {
                throw new IllegalStateException("data");
            }).onError((s, e) -> {
                throw new IllegalStateException("error handler");
            });
            RecordingSocketHandler<Void> good = new RecordingSocketHandler<>();
            Socket<Void> badSocket = connect(server, bad, false);
            TestServer.Peer badPeer = server.accept();
            Socket<Void> goodSocket = connect(server, good, false);
            TestServer.Peer goodPeer = server.accept();
            badPeer.write("1");
            bad.awaitBytes(1);
            badPeer.write("2");
            bad.awaitBytes(2);
            goodPeer.write("ok");
            assertThat(good.awaitBytes(2)).isEqualTo("ok".getBytes());
            assertThat(badSocket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(goodSocket.write("fine")).isEqualTo(4);
            assertThat(new String(goodPeer.readExactly(4))).isEqualTo("fine");
        }
    }

    @Test
    void exceptionFromCloseGoesToError() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onClose((s) -> {
                throw new IllegalStateException("close");
            }).onError((s, e) -> assertThat(s.readyState()).isEqualTo(ReadyState.CLOSED));
            Socket<Void> socket = connect(server, handler, false);
            server.accept();
            socket.end();
            handler.awaitClose();
            // a quiet period, not a wait: the error of the throwing close, and nothing
            // else
            Thread.sleep(50);
            assertThat(handler.events()).containsExactly("open", "close", "error");
        }
    }

    @Test
    void reloadSendsLaterEventsToTheNewHandler() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> first = new RecordingSocketHandler<>();
            RecordingSocketHandler<Void> second = new RecordingSocketHandler<>();
            first.onData((s, d) -> s.reload(second));
            Socket<Void> socket = connect(server, first, false);
            TestServer.Peer peer = server.accept();
            peer.write("1");
            first.awaitBytes(1);
            peer.write("2");
            second.awaitBytes(1);
            socket.end();
            second.awaitClose();
            assertThat(first.events()).containsExactly("open", "data");
            assertThat(second.events()).containsExactly("data", "close");
            assertThat(new String(first.received())).isEqualTo("1");
            assertThat(new String(second.received())).isEqualTo("2");
        }
    }

    @Test
    void eventsOfOneSocketRunOnOneThreadAcrossManySockets() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            for (int i = 0; i < 4; i++) {
                RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((s, d) -> s.write(d));
                connect(server, handler, false);
                TestServer.Peer peer = server.accept();
                peer.write("ping" + i);
                assertThat(new String(peer.readExactly(5))).isEqualTo("ping" + i);
                peer.close();
                handler.awaitClose();
                assertThat(handler.threads()).hasSize(1);
            }
        }
    }

    @Test
    void closeFiresOnceWhenPeerClosesAndWeEndConcurrently() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler, false);
            TestServer.Peer peer = server.accept();
            peer.close();
            socket.end();
            socket.terminate();
            handler.awaitClose();
            // a quiet period, not a wait: close fires once
            Thread.sleep(100);
            assertThat(handler.rawEvents().stream().filter("close"::equals).count()).isEqualTo(1);
            assertThat(handler.rawEvents()).doesNotContain("error", "connectError");
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void timeoutFiresOnceAfterTheDeadlineThenCloses() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler, false);
            TestServer.Peer peer = server.accept();
            long start = System.nanoTime();
            socket.timeout(1);
            // I/O does not move an absolute deadline
            for (int i = 0; i < 5; i++) {
                peer.write("x");
                // deliberate pacing: I/O spread over the deadline
                Thread.sleep(100);
            }
            assertThat(handler.awaitClose()).isNull();
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsed).isBetween(900L, 1500L);
            assertThat(handler.events()).containsExactly("open", "data", "timeout", "close");
            assertThat(peer.readToEnd()).isEmpty();
        }
    }

    @Test
    void timeoutReArmedAndCancelled() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler, false);
            server.accept();
            // deliberate pacing: the deadline is cancelled half-way, then must not fire
            socket.timeout(1);
            Thread.sleep(500);
            socket.timeout(0);
            Thread.sleep(1000);
            assertThat(handler.events()).containsExactly("open");
            long start = System.nanoTime();
            socket.timeout(1);
            // deliberate pacing: re-arming after 300 ms moves the deadline
            Thread.sleep(300);
            socket.timeout(1);
            handler.awaitClose();
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsed).isBetween(1200L, 1800L);
            assertThat(handler.events()).containsExactly("open", "timeout", "close");
        }
    }

    @Test
    void negativeTimeoutIsRejected() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(server, new RecordingSocketHandler<>(), false);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.timeout(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seconds");
        }
    }

    static void awaitQuietly(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

}
