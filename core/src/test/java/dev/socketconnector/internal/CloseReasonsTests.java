package dev.socketconnector.internal;

import java.io.IOException;

import javax.net.ssl.SSLException;

import dev.socketconnector.SocketTransportException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close-reason classification: one closed set, and each input state maps to one
 * reason. (The peer, local and shutdown reasons are also produced by real sockets in the
 * Spring layer's ManagedEndpointMetersTests.)
 */
class CloseReasonsTests {

    @Test
    void everyReasonOfTheClosedSet() {
        assertThat(CloseReasons.of(false, false, true, false, false, null)).isEqualTo("peer");
        assertThat(CloseReasons.of(false, false, true, true, false, null)).as("the peer's FIN came first")
            .isEqualTo("peer");
        assertThat(CloseReasons.of(false, false, false, true, false, null)).isEqualTo("local");
        assertThat(CloseReasons.of(false, false, false, true, true, null)).isEqualTo("timeout");
        assertThat(CloseReasons.of(true, false, false, true, false, null)).isEqualTo("shutdown");
        assertThat(CloseReasons.of(false, false, false, false, false,
                new SocketTransportException("ECONNRESET", "read", new IOException("reset"))))
            .isEqualTo("reset");
        assertThat(CloseReasons.of(false, false, false, false, false,
                new SocketTransportException("EPIPE", "write", new IOException("pipe"))))
            .isEqualTo("reset");
        assertThat(CloseReasons.of(false, false, false, false, false,
                new SocketTransportException("ETIMEDOUT", "read", new IOException("idle"))))
            .isEqualTo("idle");
        assertThat(CloseReasons.of(true, false, false, false, false,
                new SocketTransportException("ETIMEDOUT", "write", new IOException("unsent"))))
            .isEqualTo("shutdown");
        assertThat(
                CloseReasons.of(false, false, false, false, false, new RuntimeException(new SSLException("bad mac"))))
            .isEqualTo("tls");
        assertThat(CloseReasons.of(false, false, false, true, false, new IllegalStateException("handler")))
            .isEqualTo("error");
    }

}
