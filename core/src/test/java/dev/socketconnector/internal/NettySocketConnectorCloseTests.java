package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.SocketTransportException;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.reliability.LogCapture;
import dev.socketconnector.internal.tls.TlsTestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests for {@link NettySocketConnector#closeAsync(Duration)} racing {@code connect()}:
 * real connects to a loopback listener, a close started from another thread at the same
 * moment.
 */
class NettySocketConnectorCloseTests {

    private static final int ITERATIONS = 40;

    private static final int CONNECTS_PER_ITERATION = 4;

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void connectRacingCloseAlwaysCompletesAndLeavesNoKeyLogEntry(boolean tls) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < ITERATIONS; i++) {
                SocketConnector connector = SocketConnector.builder().eventLoopThreads(1).build();
                List<CompletableFuture<Socket<Void>>> futures = new CopyOnWriteArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                Thread connecting = new Thread(() -> {
                    awaitQuietly(start);
                    for (int c = 0; c < CONNECTS_PER_ITERATION; c++) {
                        try {
                            futures.add(connector.connect(options(listener.getLocalPort(), tls)));
                        }
                        catch (IllegalStateException closed) {
                            // close won outright: connect refused synchronously, nothing
                            // to wait for
                        }
                    }
                });
                connecting.start();
                start.countDown();
                CompletableFuture<Void> closing = connector.closeAsync(Duration.ofMillis(50));
                connecting.join(10_000);
                assertThat(connecting.isAlive()).isFalse();
                closing.get(10, TimeUnit.SECONDS);
                for (CompletableFuture<Socket<Void>> future : futures) {
                    try {
                        Socket<Void> socket = future.get(10, TimeUnit.SECONDS);
                        // it opened before the close: the close ends it
                        assertThat(socket).isNotNull();
                    }
                    catch (java.util.concurrent.TimeoutException ex) {
                        fail("iteration " + i + ": a connect future did not complete within 10 s of the close");
                    }
                    catch (ExecutionException ex) {
                        assertThat(ex.getCause()).isInstanceOf(SocketConnectException.class);
                    }
                }
                drainAccepted(listener);
            }
        }
        assertThat(TlsTestAccess.keyLogEntries()).as("key-log entries left behind").isZero();
    }

    @Test
    void shutdownTimeoutTerminatingASocketWithUnsentBytesWarnsAndReportsThemInClose() throws Exception {
        try (ServerSocket listener = new ServerSocket(); LogCapture log = new LogCapture()) {
            listener.setReceiveBufferSize(4096);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketConnector connector = SocketConnector.builder()
                .eventLoopThreads(1)
                .shutdownTimeout(Duration.ofMillis(300))
                .build();
            CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
            Socket<Void> socket = connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(listener.getLocalPort())
                .socket(new SocketHandler<>() {
                    @Override
                    public void close(Socket<Void> socket, Throwable error) {
                        closed.complete(Optional.ofNullable(error));
                    }
                })
                .build()).get(10, TimeUnit.SECONDS);
            try (java.net.Socket peer = listener.accept()) {
                // the peer never reads: fill the kernel buffers, then the outbound buffer
                // until write keeps refusing
                byte[] chunk = new byte[64 * 1024];
                int zeros = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (zeros < 20 && System.nanoTime() < deadline) {
                    int written = socket.write(chunk);
                    zeros = (written == 0) ? zeros + 1 : 0;
                    Thread.sleep((written == 0) ? 10 : 1);
                }
                assertThat(zeros).as("writes refused for 200 ms").isEqualTo(20);

                connector.close();

                Throwable error = closed.get(10, TimeUnit.SECONDS).orElse(null);
                assertThat(error).isInstanceOf(SocketTransportException.class);
                assertThat(((SocketTransportException) error).code()).isEqualTo("ETIMEDOUT");
                String detail = error.getCause().getMessage();
                Matcher bytes = Pattern
                    .compile("(\\d+) accepted bytes were never sent to 127\\.0\\.0\\.1:" + listener.getLocalPort())
                    .matcher(detail);
                assertThat(bytes.find()).as(detail).isTrue();
                long unsent = Long.parseLong(bytes.group(1));
                assertThat(unsent).isGreaterThanOrEqualTo(512 * 1024).isLessThanOrEqualTo(socket.bytesWritten());
                List<LogRecord> warnings = log.warnings(NettySocketConnector.class.getName());
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0).getMessage()).contains("socket " + socket.id() + " ")
                    .contains("127.0.0.1:" + listener.getLocalPort())
                    .contains(unsent + " accepted bytes were never sent");
            }
        }
    }

    private static TcpSocketConnectOptions<Void> options(int port, boolean tls) {
        TcpSocketConnectOptions.Builder<Void> builder = TcpSocketConnectOptions.<Void>builder()
            .hostname("127.0.0.1")
            .port(port)
            .socket(new SocketHandler<>() {
            });
        if (tls) {
            builder.tls(TlsOptions.builder().provider(TlsProvider.OPENSSL).build());
        }
        return builder.build();
    }

    private static void drainAccepted(ServerSocket listener) throws Exception {
        listener.setSoTimeout(1);
        for (int i = 0; i < CONNECTS_PER_ITERATION; i++) {
            try {
                listener.accept().close();
            }
            catch (java.net.SocketTimeoutException ex) {
                return;
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                fail("start latch");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
