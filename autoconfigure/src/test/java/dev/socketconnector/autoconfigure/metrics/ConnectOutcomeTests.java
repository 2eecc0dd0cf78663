package dev.socketconnector.autoconfigure.metrics;

import java.io.IOException;

import javax.net.ssl.SSLHandshakeException;

import dev.socketconnector.SocketConnectException;
import dev.socketconnector.TlsAuthorizationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectOutcome}: the {@code outcome} tag from a failure's type and
 * Node code.
 */
class ConnectOutcomeTests {

    @Test
    void nodeCodesMapToBoundedOutcomes() {
        assertThat(ConnectOutcome.of(failure("ECONNREFUSED"))).isEqualTo(ConnectOutcome.REFUSED);
        assertThat(ConnectOutcome.of(failure("ETIMEDOUT"))).isEqualTo(ConnectOutcome.TIMEOUT);
        assertThat(ConnectOutcome.of(failure("ENOTFOUND"))).isEqualTo(ConnectOutcome.DNS);
        assertThat(ConnectOutcome.of(failure("EAI_AGAIN"))).isEqualTo(ConnectOutcome.DNS);
        assertThat(ConnectOutcome.of(failure("ENOENT"))).isEqualTo(ConnectOutcome.ERROR);
        assertThat(ConnectOutcome.of(failure("ECONNRESET"))).isEqualTo(ConnectOutcome.ERROR);
    }

    @Test
    void tlsFailuresAnywhereInTheChainAreTls() {
        assertThat(ConnectOutcome.of(new TlsAuthorizationException("DEPTH_ZERO_SELF_SIGNED_CERT", "self signed", null)))
            .isEqualTo(ConnectOutcome.TLS);
        assertThat(ConnectOutcome.of(new SSLHandshakeException("no cipher suites in common")))
            .isEqualTo(ConnectOutcome.TLS);
        assertThat(ConnectOutcome.of(new SocketConnectException("ECONNRESET", "connect", "127.0.0.1:1",
                new SSLHandshakeException("closed during handshake"))))
            .isEqualTo(ConnectOutcome.TLS);
    }

    @Test
    void anythingElseIsError() {
        assertThat(ConnectOutcome.of(new IllegalStateException("open threw"))).isEqualTo(ConnectOutcome.ERROR);
        assertThat(ConnectOutcome.of(new IOException("unexpected"))).isEqualTo(ConnectOutcome.ERROR);
        assertThat(ConnectOutcome.TLS.value()).isEqualTo("tls");
    }

    private static SocketConnectException failure(String code) {
        return new SocketConnectException(code, "connect", "127.0.0.1:1", null);
    }

}
