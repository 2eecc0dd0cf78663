package dev.socketconnector;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for option validation (every message names the option) and immutable copies.
 */
class OptionsTests {

    private final SocketHandler<String> handler = new SocketHandler<>() {
    };

    @Test
    void tcpOptionsRequireHostnamePortAndHandler() {
        assertThatThrownBy(() -> TcpSocketConnectOptions.<String>builder().port(1).socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("hostname is required");
        assertThatThrownBy(
                () -> TcpSocketConnectOptions.<String>builder().hostname(" ").port(1).socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("hostname must not be empty");
        assertThatThrownBy(() -> TcpSocketConnectOptions.<String>builder().hostname("h").socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("port is required");
        assertThatThrownBy(() -> TcpSocketConnectOptions.<String>builder().hostname("h").port(1).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("socket is required");
    }

    @Test
    void tcpPortMustBeInRange() {
        for (int port : new int[] { 0, -2, 65536, 70000 }) {
            assertThatThrownBy(() -> TcpSocketConnectOptions.<String>builder()
                .hostname("h")
                .port(port)
                .socket(this.handler)
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 1 and 65535 (was " + port + ")");
        }
        assertThat(
                TcpSocketConnectOptions.<String>builder().hostname("h").port(65535).socket(this.handler).build().port())
            .isEqualTo(65535);
    }

    @Test
    void bracketedIpv6HostnameIsUnwrapped() {
        TcpSocketConnectOptions<String> options = TcpSocketConnectOptions.<String>builder()
            .hostname("[::1]")
            .port(80)
            .socket(this.handler)
            .build();
        assertThat(options.hostname()).isEqualTo("::1");
        assertThat(options.target()).isEqualTo("[::1]:80");
    }

    @Test
    void unixOptionsValidateThePath() {
        assertThatThrownBy(() -> UnixSocketOptions.<String>builder().socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unix is required");
        assertThatThrownBy(() -> UnixSocketOptions.<String>builder().unix("").socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unix must not be empty");
        assertThatThrownBy(() -> UnixSocketOptions.<String>builder().unix("a\0b").socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unix must not contain a NUL");
        assertThatThrownBy(
                () -> UnixSocketOptions.<String>builder().unix("/" + "x".repeat(200)).socket(this.handler).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unix must be at most 107 bytes");
        assertThatThrownBy(() -> UnixSocketOptions.<String>builder().unix("/tmp/s").build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("socket is required");
    }

    @Test
    void toBuilderRoundTripKeepsEveryField() {
        TlsOptions tls = TlsOptions.builder().serverName("example.test").rejectUnauthorized(false).build();
        TcpSocketConnectOptions<String> options = TcpSocketConnectOptions.<String>builder()
            .hostname("example.test")
            .port(443)
            .socket(this.handler)
            .data("d")
            .allowHalfOpen(true)
            .exclusive(true)
            .tls(tls)
            .build();
        TcpSocketConnectOptions<String> copy = options.toBuilder().build();
        assertThat(copy.hostname()).isEqualTo("example.test");
        assertThat(copy.port()).isEqualTo(443);
        assertThat(copy.socket()).isSameAs(this.handler);
        assertThat(copy.data()).isEqualTo("d");
        assertThat(copy.allowHalfOpen()).isTrue();
        assertThat(copy.exclusive()).isTrue();
        assertThat(copy.tls()).isSameAs(tls);
        UnixSocketOptions<String> unix = UnixSocketOptions.<String>builder()
            .unix("/tmp/x.sock")
            .socket(this.handler)
            .data("u")
            .allowHalfOpen(true)
            .tls(true)
            .build();
        UnixSocketOptions<String> unixCopy = unix.toBuilder().build();
        assertThat(unixCopy.unix()).isEqualTo("/tmp/x.sock");
        assertThat(unixCopy.data()).isEqualTo("u");
        assertThat(unixCopy.allowHalfOpen()).isTrue();
        assertThat(unixCopy.tls()).isSameAs(TlsOptions.DEFAULTS);
        assertThat(options.toBuilder().tls(false).build().tls()).isNull();
    }

    @Test
    void connectorBuilderValidatesEverySetting() {
        assertThatThrownBy(() -> SocketConnector.builder().eventLoopThreads(-1).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("eventLoopThreads");
        assertThatThrownBy(() -> SocketConnector.builder().connectTimeout(Duration.ZERO).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("connectTimeout must be positive");
        assertThatThrownBy(() -> SocketConnector.builder().connectTimeout(Duration.ofSeconds(-1)).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> SocketConnector.builder().shutdownTimeout(Duration.ofSeconds(-1)).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("shutdownTimeout");
        assertThatThrownBy(() -> SocketConnector.builder().keepAlive(true, Duration.ofSeconds(-1)).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("keepAliveInitialDelay");
        assertThatThrownBy(() -> SocketConnector.builder().writeBufferWaterMark(0, 10).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("writeBufferLowWaterMark");
        assertThatThrownBy(() -> SocketConnector.builder().writeBufferWaterMark(10, 5).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("writeBufferHighWaterMark");
        TcpSocketConnectOptions<String> options = TcpSocketConnectOptions.<String>builder()
            .hostname("h")
            .port(1)
            .socket(this.handler)
            .build();
        assertThatThrownBy(() -> SocketConnector.builder().endpoint("a", options).endpoint("a", options))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("endpoint 'a' is already defined");
        assertThatThrownBy(() -> SocketConnector.builder().endpoint("", options))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("endpoint name");
        assertThatThrownBy(() -> SocketConnector.builder().endpoint("none", options))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("reserved");
    }

    @Test
    void enumsCarryBunLiterals() {
        assertThat(ReadyState.OPEN.value()).isEqualTo("open");
        assertThat(ReadyState.CLOSING.value()).isEqualTo("closing");
        assertThat(ReadyState.CLOSED.value()).isEqualTo("closed");
        assertThat(IpFamily.IPV4.value()).isEqualTo("IPv4");
        assertThat(IpFamily.IPV6.value()).isEqualTo("IPv6");
    }

}
