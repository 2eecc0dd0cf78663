package dev.socketconnector.benchmarks;

import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.Socket;
import org.jspecify.annotations.Nullable;

/**
 * The TLS version and cipher suite the client's first connection negotiated, printed with
 * each result so that a comparison between clients can be checked for fairness (same
 * provider, same protocol, same cipher). Set on the event loop, read by the main thread
 * after the run.
 */
final class TlsSeen {

    private static volatile @Nullable String protocol;

    private static volatile @Nullable String cipher;

    private TlsSeen() {
    }

    /** Records a connector socket's version and suite (nothing on a plain socket). */
    static void record(Socket<?> socket) {
        String version = socket.getTLSVersion();
        if (version != null && protocol == null) {
            CipherNameAndProtocol suite = socket.getCipher();
            record(version, (suite != null) ? suite.standardName() : null);
        }
    }

    /** Keeps the first connection's version and suite; later ones are the same run's. */
    static void record(@Nullable String version, @Nullable String suite) {
        if (protocol == null) {
            cipher = suite;
            protocol = version;
        }
    }

    /**
     * Adds {@code tls_protocol} and {@code tls_cipher} when a connection recorded them.
     */
    static void addTo(Json result) {
        String version = protocol;
        String suite = cipher;
        if (version != null) {
            result.field("tls_protocol", version);
        }
        if (suite != null) {
            result.field("tls_cipher", suite);
        }
    }

}
