package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.socketconnector.Framing;
import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.Resolver;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HostResolver} inside a real connector: connects to a loopback
 * listener, and a lookup function through the resolver's seam that never answers for
 * names starting with {@code hang}. (A DNS server that never answers cannot be set for
 * one JVM in-process; every other part is real.)
 */
class HostResolverTests {

    private final CountDownLatch release = new CountDownLatch(1);

    private final AtomicInteger lookups = new AtomicInteger();

    private final List<NettySocketConnector> connectors = new ArrayList<>();

    private final HostResolver.LookupFunction hangingLookup = (host) -> {
        this.lookups.incrementAndGet();
        if (host.startsWith("hang")) {
            try {
                // bounded: released when the test ends
                this.release.await(60, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host + ": no answer");
        }
        return InetAddress.getAllByName(host);
    };

    @AfterEach
    void closeConnectors() throws Exception {
        this.release.countDown();
        for (NettySocketConnector connector : this.connectors) {
            connector.closeAsync(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectsWhoseLookupsTimedOutDoNotDelayALaterLookup() throws Exception {
        HostResolver resolver = new HostResolver(this.hangingLookup, 4, 256, 64, "test-dns");
        NettySocketConnector connector = connector(resolver, Duration.ofMillis(300));
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<CompletableFuture<Socket<Void>>> hanging = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                hanging.add(connector.connect(options("hang-" + i + ".example", listener.getLocalPort())));
            }
            for (CompletableFuture<Socket<Void>> future : hanging) {
                assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                    .havingCause()
                    .isInstanceOfSatisfying(SocketConnectException.class,
                            (ex) -> assertThat(ex.code()).isEqualTo("ETIMEDOUT"));
            }
            // the timed-out connects have dropped their lookups: none waits in the queue
            // or holds a slot
            assertThat(resolver.load()).containsExactly(0, 0);

            Socket<Void> socket = connector.<Void>connect(options("localhost", listener.getLocalPort()))
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.remotePort()).isEqualTo(listener.getLocalPort());
            socket.terminate();
        }
    }

    @Test
    void manyConnectsToOneSlowNameShareOneLookupAndDoNotDelayOtherNames() throws Exception {
        HostResolver resolver = new HostResolver(this.hangingLookup, 4, 256, 64, "test-dns");
        NettySocketConnector connector = connector(resolver, Duration.ofSeconds(20));
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<CompletableFuture<Socket<Void>>> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                slow.add(connector.connect(options("hang.example", listener.getLocalPort())));
            }
            Socket<Void> socket = connector.<Void>connect(options("localhost", listener.getLocalPort()))
                .get(5, TimeUnit.SECONDS);
            socket.terminate();
            assertThat(slow).noneMatch(CompletableFuture::isDone);
            // one lookup for the slow name (however many connects wait for it), one for
            // localhost
            assertThat(this.lookups.get()).isEqualTo(2);
        }
    }

    @Test
    void lookupBeyondTheQueueBoundFailsAtOnceWithAClearError() throws Exception {
        HostResolver resolver = new HostResolver(this.hangingLookup, 2, 3, 64, "test-dns");
        NettySocketConnector connector = connector(resolver, Duration.ofSeconds(20));
        List<CompletableFuture<Socket<Void>>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(connector.connect(options("hang-" + i + ".example", 7)));
        }
        long start = System.nanoTime();
        CompletableFuture<Socket<Void>> refused = connector.connect(options("hang-5.example", 7));
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
            .havingCause()
            .isInstanceOfSatisfying(SocketConnectException.class, (ex) -> {
                assertThat(ex.code()).isEqualTo("EAI_AGAIN");
                assertThat(ex.syscall()).isEqualTo("getaddrinfo");
                assertThat(ex.getCause()).hasMessageContaining("3 lookups are already waiting");
            });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
    }

    private NettySocketConnector connector(HostResolver resolver, Duration connectTimeout) {
        ConnectorSettings settings = new ConnectorSettings(Transport.NIO, 1, connectTimeout, Duration.ofSeconds(1),
                () -> TlsOptions.DEFAULTS, SocketObserver.NONE, true, KeepAliveOptions.DISABLED, 512 * 1024,
                1024 * 1024, Map.of(), Duration.ZERO, Duration.ZERO, new byte[0], Duration.ofMillis(250),
                Resolver.jdk(), Framing.none());
        NettySocketConnector connector = new NettySocketConnector(settings, resolver);
        this.connectors.add(connector);
        return connector;
    }

    private static TcpSocketConnectOptions<Void> options(String host, int port) {
        return TcpSocketConnectOptions.<Void>builder().hostname(host).port(port).socket(new SocketHandler<>() {
        }).build();
    }

}
