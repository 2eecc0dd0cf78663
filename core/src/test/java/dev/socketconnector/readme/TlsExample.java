package dev.socketconnector.readme;

import java.nio.file.Path;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;

/**
 * The README's TLS example; compiled only (it reads files and dials a host outside
 * loopback).
 */
final class TlsExample {

    private TlsExample() {
    }

    static void connect(SocketConnector socketConnector, SocketHandler<Void> handler) {
        // @formatter:off
        // readme:begin
        // socketConnector is a SocketConnector, handler a SocketHandler<Void>
        TlsOptions tls = TlsOptions.builder()
            .ca(Path.of("ca.pem"))                              // trusted CAs: PEM text, PEM/PKCS#12 files, X509Certificate
            .cert(Path.of("client.p12")).passphrase("secret")   // client certificate (mTLS): PEM, PKCS#12 or objects
            .serverName("api.example.com")                      // SNI and the name checked against the certificate
            .alpnProtocols("h2", "http/1.1")                    // names, not Bun's wire format
            .minVersion("TLSv1.3")
            .build();
        socketConnector.connect(TcpSocketConnectOptions.<Void>builder()
            .hostname("api.example.com").port(443).socket(handler).tls(tls).build());
        // readme:end
        // @formatter:on
    }

}
