package dev.socketconnector;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link KeepAliveOptions}: validation, the round trip through {@code toBuilder()}, and
 * the options as the kernel holds them on each transport (getsockopt through the channel:
 * Netty's epoll and io_uring options, the JDK's extended socket options on NIO). The
 * suite runs on epoll, io_uring and NIO; on NIO a user timeout is refused at build.
 */
@ExtendWith(LeakCheckExtension.class)
class KeepAliveOptionsTests {

    @Test
    void defaultsAreDisabledWithBunsTiming() {
        KeepAliveOptions options = KeepAliveOptions.DISABLED;
        assertThat(options.enabled()).isFalse();
        assertThat(options.idle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.count()).isEqualTo(10);
        assertThat(options.userTimeout()).isZero();
        assertThat(KeepAliveOptions.builder().build()).isEqualTo(options);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        KeepAliveOptions options = KeepAliveOptions.builder()
            .enabled(true)
            .idle(Duration.ofSeconds(7))
            .interval(Duration.ofSeconds(3))
            .count(4)
            .userTimeout(Duration.ofMillis(2500))
            .build();
        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(options)
            .hasToString("KeepAliveOptions[enabled=true, idle=PT7S, interval=PT3S, count=4, userTimeout=PT2.5S]");
    }

    @Test
    void invalidSettingsAreRefusedNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> KeepAliveOptions.builder().idle(Duration.ZERO).build())
            .withMessage("idle must be whole seconds between 1 s and 32767 s (was PT0S)");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> KeepAliveOptions.builder().idle(Duration.ofMillis(1500)).build())
            .withMessageStartingWith("idle must be whole seconds");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> KeepAliveOptions.builder().interval(Duration.ofSeconds(32768)).build())
            .withMessage("interval must be whole seconds between 1 s and 32767 s (was PT9H6M8S)");
        assertThatIllegalArgumentException().isThrownBy(() -> KeepAliveOptions.builder().count(0).build())
            .withMessage("count must be between 1 and 127 (was 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> KeepAliveOptions.builder().count(128).build())
            .withMessage("count must be between 1 and 127 (was 128)");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> KeepAliveOptions.builder().userTimeout(Duration.ofMillis(-1)).build())
            .withMessageStartingWith("userTimeout must be zero (the kernel's default) or between 1 ms and");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> KeepAliveOptions.builder().userTimeout(Duration.ofDays(30)).build())
            .withMessageStartingWith("userTimeout must be");
    }

    @Test
    void fullFormIsWhatTheKernelHoldsOnEveryTransport() throws Exception {
        KeepAliveOptions options = KeepAliveOptions.builder()
            .enabled(true)
            .idle(Duration.ofSeconds(7))
            .interval(Duration.ofSeconds(3))
            .count(4)
            .build();
        try (SocketConnector connector = SocketConnector.builder().keepAlive(options).build();
                TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(connector, server);
            assertThat(SocketInternals.keepAlive(socket)).as(connector.transport().name()).isTrue();
            assertThat(SocketInternals.keepAliveTiming(socket)).as(connector.transport().name())
                .containsExactly(7, 3, 4);
            if (connector.transport() != Transport.NIO) {
                assertThat(SocketInternals.userTimeout(socket)).as("TCP_USER_TIMEOUT left at the kernel's default")
                    .isZero();
            }
        }
    }

    @Test
    void userTimeoutIsWhatTheKernelHoldsOnEpollAndIoUringAndRefusedOnNio() throws Exception {
        KeepAliveOptions options = KeepAliveOptions.builder()
            .enabled(true)
            .idle(Duration.ofSeconds(5))
            .userTimeout(Duration.ofMillis(2500))
            .build();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocketConnector.builder().transport(Transport.NIO).keepAlive(options).build())
            .withMessageContaining("NIO")
            .withMessageContaining("readIdleTimeout")
            .withMessageContaining("userTimeout");
        Transport transport;
        try (SocketConnector probe = SocketConnector.builder().build()) {
            transport = probe.transport();
        }
        if (transport == Transport.NIO) {
            // AUTO resolved to NIO
            assertThatIllegalArgumentException().isThrownBy(() -> SocketConnector.builder().keepAlive(options).build())
                .withMessageContaining("NIO")
                .withMessageContaining("readIdleTimeout");
            return;
        }
        try (SocketConnector connector = SocketConnector.builder().keepAlive(options).build();
                TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(connector, server);
            assertThat(SocketInternals.keepAliveTiming(socket)).containsExactly(5, 1, 10);
            assertThat(SocketInternals.userTimeout(socket)).as(connector.transport().name()).isEqualTo(2500);
        }
    }

    @Test
    void userTimeoutAppliesWithKeepAliveDisabled() throws Exception {
        KeepAliveOptions options = KeepAliveOptions.builder().userTimeout(Duration.ofSeconds(3)).build();
        try (SocketConnector probe = SocketConnector.builder().build()) {
            if (probe.transport() == Transport.NIO) {
                return;
            }
        }
        try (SocketConnector connector = SocketConnector.builder().keepAlive(options).build();
                TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(connector, server);
            assertThat(SocketInternals.keepAlive(socket)).isFalse();
            assertThat(SocketInternals.userTimeout(socket)).isEqualTo(3000);
        }
    }

    @Test
    void nioWithoutUserTimeoutBuildsAndAppliesTheTiming() throws Exception {
        KeepAliveOptions options = KeepAliveOptions.builder()
            .enabled(true)
            .idle(Duration.ofSeconds(9))
            .interval(Duration.ofSeconds(2))
            .count(6)
            .build();
        try (SocketConnector connector = SocketConnector.builder().transport(Transport.NIO).keepAlive(options).build();
                TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(connector, server);
            assertThat(SocketInternals.keepAliveTiming(socket)).containsExactly(9, 2, 6);
        }
    }

    @Test
    void shortFormMapsOntoTheFullForm() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().keepAlive(true, Duration.ofMillis(4999)).build();
                TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(connector, server);
            assertThat(SocketInternals.keepAlive(socket)).isTrue();
            assertThat(SocketInternals.keepAliveTiming(socket)).as("rounded down to seconds, Bun's interval and count")
                .containsExactly(4, 1, 10);
        }
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocketConnector.builder().keepAlive(true, Duration.ofSeconds(-1)))
            .withMessageContaining("keepAliveInitialDelay");
    }

    private static Socket<Void> connect(SocketConnector connector, TestServer server) throws Exception {
        Socket<Void> socket = connector
            .connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(new RecordingSocketHandler<>())
                .build())
            .get(10, TimeUnit.SECONDS);
        server.accept();
        return socket;
    }

}
