package dev.socketconnector.autoconfigure.metrics;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate for {@code localhost} and {@code 127.0.0.1}, generated
 * with the {@code openssl} command, and a JDK server {@link SSLContext} that presents it.
 */
public final class SelfSignedCertificate {

    private final String certificatePem;

    private final SSLContext serverContext;

    private SelfSignedCertificate(String certificatePem, SSLContext serverContext) {
        this.certificatePem = certificatePem;
        this.serverContext = serverContext;
    }

    /** Generates a fresh certificate and key in a temporary directory. */
    public static SelfSignedCertificate generate() throws Exception {
        Path dir = Files.createTempDirectory("observability-tls");
        try {
            Path cert = dir.resolve("server.crt");
            Path key = dir.resolve("server.key");
            Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true)
                .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + new String(output, StandardCharsets.UTF_8));
            }
            String certificatePem = Files.readString(cert, StandardCharsets.US_ASCII);
            String keyPem = Files.readString(key, StandardCharsets.US_ASCII);
            Certificate certificate = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey, new char[0], new Certificate[] { certificate });
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new SelfSignedCertificate(certificatePem, context);
        }
        finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** Returns the certificate as PEM text, for a client's trusted CAs. */
    public String certificatePem() {
        return this.certificatePem;
    }

    /** Returns a server context presenting the certificate. */
    public SSLContext serverContext() {
        return this.serverContext;
    }

}
