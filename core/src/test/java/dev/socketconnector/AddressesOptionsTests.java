package dev.socketconnector;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@code TcpSocketConnectOptions.Builder.addresses} and the connector-wide
 * {@code connectAttemptDelay} and {@code resolver} settings: validation names the option,
 * accessors, {@code target()}, {@code toString()} and {@code toBuilder()}.
 */
class AddressesOptionsTests {

    private static final SocketHandler<Void> HANDLER = new SocketHandler<>() {
    };

    @Test
    void addressesAreKeptInOrderAndShownInTarget() {
        TcpSocketConnectOptions<Void> options = TcpSocketConnectOptions.<Void>builder()
            .addresses(List.of(new InetSocketAddress("127.0.0.1", 5000), new InetSocketAddress("::1", 5001),
                    InetSocketAddress.createUnresolved("db.example", 5002)))
            .socket(HANDLER)
            .build();
        assertThat(options.hostname()).isNull();
        assertThat(options.port()).isEqualTo(-1);
        assertThat(options.addresses()).hasSize(3);
        assertThat(options.target()).isEqualTo("127.0.0.1:5000,[0:0:0:0:0:0:0:1]:5001,db.example:5002");
        assertThat(options.toString()).contains("addresses=127.0.0.1:5000,");
        TcpSocketConnectOptions<Void> copy = options.toBuilder().build();
        assertThat(copy.addresses()).isEqualTo(options.addresses());
        assertThat(copy.target()).isEqualTo(options.target());
    }

    @Test
    void hostnameOptionsHaveNoAddresses() {
        TcpSocketConnectOptions<Void> options = TcpSocketConnectOptions.<Void>builder()
            .hostname("localhost")
            .port(80)
            .socket(HANDLER)
            .build();
        assertThat(options.addresses()).isEmpty();
        assertThat(options.target()).isEqualTo("localhost:80");
    }

    @Test
    void invalidAddressesFailFastNamingTheOption() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TcpSocketConnectOptions.<Void>builder().addresses(List.of()))
            .withMessage("addresses must not be empty");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TcpSocketConnectOptions.<Void>builder()
                .addresses(Arrays.asList(new InetSocketAddress("127.0.0.1", 1), null)))
            .withMessage("addresses must not contain null");
        assertThatIllegalArgumentException().isThrownBy(
                () -> TcpSocketConnectOptions.<Void>builder().addresses(List.of(new InetSocketAddress("127.0.0.1", 0))))
            .withMessageContaining("addresses")
            .withMessageContaining("between 1 and 65535");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TcpSocketConnectOptions.<Void>builder()
                .hostname("localhost")
                .addresses(List.of(new InetSocketAddress("127.0.0.1", 1)))
                .socket(HANDLER)
                .build())
            .withMessage("addresses and hostname/port are mutually exclusive: set one or the other");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TcpSocketConnectOptions.<Void>builder()
                .port(80)
                .addresses(List.of(new InetSocketAddress("127.0.0.1", 1)))
                .socket(HANDLER)
                .build())
            .withMessageContaining("mutually exclusive");
    }

    @Test
    void connectAttemptDelayIsValidatedAgainstTheConnectTimeout() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocketConnector.builder().connectAttemptDelay(Duration.ofMillis(-1)).build())
            .withMessageStartingWith("connectAttemptDelay must be between 0 and connectTimeout");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocketConnector.builder()
                .connectTimeout(Duration.ofSeconds(1))
                .connectAttemptDelay(Duration.ofSeconds(2))
                .build())
            .withMessageContaining("connectAttemptDelay")
            .withMessageContaining("PT2S");
        assertThat(SocketConnectorBuilder.DEFAULT_CONNECT_ATTEMPT_DELAY).isEqualTo(Duration.ofMillis(250));
    }

}
