package dev.socketconnector;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for connecting: the future, open, addresses, connect errors and their codes.
 */
class SocketConnectTests {

    private final SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    @Test
    void connectCompletesFutureAfterOpenHasReturnedOnTheEventLoop() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            AtomicBoolean openReturned = new AtomicBoolean();
            AtomicReference<String> completedOn = new AtomicReference<>();
            // open waits (bounded) until the test has attached its dependent action: else
            // a connect faster than this thread completes the future first and the action
            // runs here, not on the loop
            CountDownLatch attached = new CountDownLatch(1);
            RecordingSocketHandler<String> handler = new RecordingSocketHandler<String>().onOpen((s) -> {
                assertThat(s.readyState()).isEqualTo(ReadyState.OPEN);
                assertThat(s.data()).isEqualTo("ctx");
                try {
                    assertThat(attached.await(10, TimeUnit.SECONDS)).isTrue();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ex);
                }
                openReturned.set(true);
            });
            CompletableFuture<Socket<String>> future = this.connector.connect(TcpSocketConnectOptions.<String>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(handler)
                .data("ctx")
                .build());
            CompletableFuture<Socket<String>> completed = future.thenApply((s) -> {
                assertThat(openReturned).isTrue();
                completedOn.set(Thread.currentThread().getName());
                return s;
            });
            attached.countDown();
            Socket<String> socket = completed.get(10, TimeUnit.SECONDS);
            assertThat(socket).isSameAs(handler.awaitOpen());
            assertThat(completedOn.get()).isIn(handler.threads());
            assertThat(socket.listener()).isNull();
            assertThat(socket.bytesWritten()).isZero();
            assertThat(this.connector.sockets()).containsExactly(socket);
            assertThat(this.connector.socket(socket.id())).isSameAs(socket);
            // only the id itself finds the socket: not another spelling of its number
            assertThat(this.connector.socket("0" + socket.id())).isNull();
            assertThat(this.connector.socket("+" + socket.id())).isNull();
            assertThat(this.connector.socket(socket.id() + "x")).isNull();
            assertThat(this.connector.socket("")).isNull();
            assertThat(socket.openedAt()).isNotNull();
            assertThat(socket.endpoint()).isNull();
        }
    }

    @Test
    void addressesAreCachedInShortestFormAndReadableAfterClose() throws Exception {
        try (TestServer server = TestServer.tcp("::1", 10)) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("[::1]")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            InetSocketAddress peerLocal = (InetSocketAddress) peer.channel().getRemoteAddress();
            assertThat(socket.remoteAddress()).isEqualTo("::1");
            assertThat(socket.remoteFamily()).isEqualTo(IpFamily.IPV6);
            assertThat(socket.remotePort()).isEqualTo(server.port());
            assertThat(socket.localAddress()).isEqualTo("::1");
            assertThat(socket.localFamily()).isEqualTo(IpFamily.IPV6);
            assertThat(socket.localPort()).isEqualTo(peerLocal.getPort());
            socket.terminate();
            handler.awaitClose();
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(socket.remoteAddress()).isEqualTo("::1");
            assertThat(socket.localPort()).isEqualTo(peerLocal.getPort());
        }
    }

    @Test
    void ipv4AddressesAndFamilies() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("localhost")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(socket.remoteFamily()).isEqualTo(IpFamily.IPV4);
            assertThat(socket.localAddress()).isEqualTo("127.0.0.1");
            assertThat(socket.localPort()).isPositive();
        }
    }

    @Test
    void unixSocketHasNoAddresses() throws Exception {
        try (TestServer server = TestServer.unix()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = this.connector
                .connect(UnixSocketOptions.<Void>builder().unix(server.path()).socket(handler).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(socket.localAddress()).isNull();
            assertThat(socket.localFamily()).isNull();
            assertThat(socket.localPort()).isEqualTo(-1);
            assertThat(socket.remoteAddress()).isNull();
            assertThat(socket.remoteFamily()).isNull();
            assertThat(socket.remotePort()).isEqualTo(-1);
            assertThat(socket.write("over unix")).isEqualTo(9);
            assertThat(new String(server.accept().readExactly(9))).isEqualTo("over unix");
        }
    }

    @Test
    void refusedConnectCallsConnectErrorOnceThenFailsFutureWithEqualError() throws Exception {
        int port = closedPort();
        RecordingSocketHandler<String> handler = new RecordingSocketHandler<>();
        AtomicReference<Socket<String>> failedSocket = new AtomicReference<>();
        AtomicReference<ReadyState> stateInConnectError = new AtomicReference<>();
        handler.onConnectError((s, e) -> {
            failedSocket.set(s);
            stateInConnectError.set(s.readyState());
        });
        CompletableFuture<Socket<String>> future = this.connector.connect(TcpSocketConnectOptions.<String>builder()
            .hostname("127.0.0.1")
            .port(port)
            .socket(handler)
            .data("d")
            .build());
        Throwable failure = failure(future);
        Throwable passed = handler.awaitConnectError();
        assertThat(failure).isInstanceOf(SocketConnectException.class).isEqualTo(passed).isNotSameAs(passed);
        SocketConnectException error = (SocketConnectException) failure;
        assertThat(error.code()).isEqualTo("ECONNREFUSED");
        assertThat(error.syscall()).isEqualTo("connect");
        assertThat(error.getMessage()).isEqualTo("connect ECONNREFUSED 127.0.0.1:" + port);
        assertThat(stateInConnectError.get()).isEqualTo(ReadyState.CLOSED);
        assertThat(failedSocket.get().data()).isEqualTo("d");
        // a quiet period, not a wait: no callback may follow connectError
        Thread.sleep(100);
        assertThat(handler.events()).containsExactly("connectError");
        assertThat(this.connector.sockets()).isEmpty();
    }

    @Test
    void missingUnixPathFailsWithEnoent() throws Exception {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        String path = System.getProperty("java.io.tmpdir") + "/sc-missing-" + System.nanoTime() + ".sock";
        Throwable failure = failure(
                this.connector.connect(UnixSocketOptions.<Void>builder().unix(path).socket(handler).build()));
        assertThat(((SocketConnectException) failure).code()).isEqualTo("ENOENT");
        assertThat(failure.getMessage()).contains(path);
        assertThat(handler.events()).containsExactly("connectError");
    }

    @Test
    void unresolvableNameFailsWithEnotfoundWithoutOtherCallbacks() throws Exception {
        for (String host : List.of("no-such-host.invalid", "this is not a hostname")) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Throwable failure = failure(this.connector
                .connect(TcpSocketConnectOptions.<Void>builder().hostname(host).port(80).socket(handler).build()));
            SocketConnectException error = (SocketConnectException) failure;
            assertThat(error.code()).isEqualTo("ENOTFOUND");
            assertThat(error.syscall()).isEqualTo("getaddrinfo");
            assertThat(error.getMessage()).contains(host);
            assertThat(handler.events()).containsExactly("connectError");
        }
    }

    @Test
    void connectToFullBacklogTimesOutWithEtimedout() throws Exception {
        try (FullBacklogListener listener = FullBacklogListener.open();
                SocketConnector fast = SocketConnector.builder().connectTimeout(Duration.ofMillis(700)).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            Throwable failure = failure(fast.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(listener.port())
                .socket(handler)
                .build()));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(((SocketConnectException) failure).code()).isEqualTo("ETIMEDOUT");
            assertThat(elapsedMillis).isBetween(600L, 5000L);
            assertThat(handler.events()).containsExactly("connectError");
        }
    }

    @Test
    void connectErrorThatThrowsFailsFutureWithWhatItThrew() throws Exception {
        IllegalStateException thrown = new IllegalStateException("from connectError");
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onConnectError((s, e) -> {
            throw thrown;
        });
        Throwable failure = failure(this.connector.connect(TcpSocketConnectOptions.<Void>builder()
            .hostname("127.0.0.1")
            .port(closedPort())
            .socket(handler)
            .build()));
        assertThat(failure).isSameAs(thrown);
        assertThat(handler.events()).containsExactly("connectError");
    }

    @Test
    void namedEndpointConnectsAndTagsTheSocket() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            try (SocketConnector named = SocketConnector.builder()
                .endpoint("echo",
                        TcpSocketConnectOptions.<Void>builder()
                            .hostname("127.0.0.1")
                            .port(server.port())
                            .socket(handler)
                            .build())
                .build()) {
                Socket<Void> socket = named.<Void>connect("echo").get(10, TimeUnit.SECONDS);
                assertThat(socket.endpoint()).isEqualTo("echo");
                assertThat(named.endpoints()).containsOnlyKeys("echo");
                assertThatThrownBy(() -> named.connect("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("endpoint 'nope' is not defined");
            }
            handler.awaitClose();
        }
    }

    @Test
    void namedEndpointWithSupplierReadsItsOptionsAtEachConnect() throws Exception {
        try (TestServer first = TestServer.tcp(); TestServer second = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            java.util.concurrent.atomic.AtomicInteger port = new java.util.concurrent.atomic.AtomicInteger(
                    first.port());
            try (SocketConnector named = SocketConnector.builder()
                .endpoint("moving",
                        () -> TcpSocketConnectOptions.<Void>builder()
                            .hostname("127.0.0.1")
                            .port(port.get())
                            .socket(handler)
                            .build())
                .build()) {
                Socket<Void> one = named.<Void>connect("moving").get(10, TimeUnit.SECONDS);
                assertThat(one.remotePort()).isEqualTo(first.port());
                port.set(second.port());
                Socket<Void> two = named.<Void>connect("moving").get(10, TimeUnit.SECONDS);
                assertThat(two.remotePort()).isEqualTo(second.port());
                assertThat(two.endpoint()).isEqualTo("moving");
                assertThat(((TcpSocketConnectOptions<?>) named.endpoints().get("moving")).port())
                    .isEqualTo(second.port());
            }
        }
    }

    @Test
    void connectAfterCloseIsRefused() {
        SocketConnector closed = SocketConnector.create();
        closed.close();
        assertThat(closed.isClosed()).isTrue();
        assertThatThrownBy(() -> closed.connect(TcpSocketConnectOptions.<Void>builder()
            .hostname("127.0.0.1")
            .port(1)
            .socket(new RecordingSocketHandler<>())
            .build())).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    static Throwable failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            return ex.getCause();
        }
        throw new AssertionError("the connect succeeded");
    }

    static int closedPort() throws Exception {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

}
