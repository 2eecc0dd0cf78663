package dev.socketconnector.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds the benchmark server's TLS context from a self-signed EC P-256 certificate for
 * localhost, 127.0.0.1 and ::1, generated at startup with the JDK's {@code keytool} (no
 * BouncyCastle, no openssl needed).
 * <p>
 * Session resumption is disabled where the provider allows it (OpenSSL: no session cache,
 * and Netty leaves tickets off by default), so every connect is a full handshake, as in
 * the reference figures.
 * <p>
 * The {@code count} server needs TLS 1.3 half-close (it answers after the client's
 * close_notify and FIN), which Netty's OpenSSL engine does not support (it closes both
 * directions on close_notify), so that mode runs on the JDK provider; see
 * {@link BenchmarkServer#start(BenchmarkServer.Mode, String, int, String, boolean, int)}.
 */
public final class ServerTls {

    private static final char[] PASSWORD = "benchmark".toCharArray();

    private ServerTls() {
    }

    /**
     * Generates a self-signed certificate and returns a server context on OpenSSL when
     * available, else the JDK.
     * @return the server context
     * @throws BenchmarkFailure when keytool fails
     */
    public static SslContext selfSignedServerContext() {
        return selfSignedServerContext(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /**
     * Generates a self-signed certificate and returns a server context on the given
     * provider.
     * @param provider the TLS provider
     * @return the server context
     * @throws BenchmarkFailure when keytool fails
     */
    public static SslContext selfSignedServerContext(SslProvider provider) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("socket-connector-bench-tls");
            Path store = dir.resolve("server.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "bench", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-validity", "7", "-storetype", "PKCS12", "-keystore",
                    store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
            String output = new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new BenchmarkFailure("keytool could not generate the server certificate: " + output.trim());
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD);
            }
            PrivateKey key = (PrivateKey) keyStore.getKey("bench", PASSWORD);
            X509Certificate cert = (X509Certificate) keyStore.getCertificate("bench");
            SslContext context = SslContextBuilder.forServer(key, cert)
                .sslProvider(provider)
                .protocols(List.of("TLSv1.3", "TLSv1.2"))
                .build();
            if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
                sessions.setSessionCacheEnabled(false);
            }
            return context;
        }
        catch (IOException | GeneralSecurityException ex) {
            throw new BenchmarkFailure("cannot build the server TLS context: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailure("interrupted while generating the server certificate", ex);
        }
        finally {
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a temp dir left behind is harmless
        }
    }

}
