package dev.socketconnector;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The test PKI, generated once per JVM with the {@code openssl} command in a temporary
 * directory: a root CA, an intermediate CA, servers (EC and RSA, SAN
 * {@code DNS:localhost, IP:127.0.0.1}), an expired, a not yet valid, a wrong-host and a
 * self-signed server, a server issued by the intermediate, an unrelated CA, a client
 * certificate for mTLS, and encrypted and PKCS#12 forms of the client key.
 */
public final class PkiFixture {

    /** The passphrase of the encrypted keys and PKCS#12 files. */
    public static final String PASSPHRASE = "s3cret-pass";

    private static PkiFixture instance;

    private final Path dir;

    private PkiFixture(Path dir) {
        this.dir = dir;
    }

    /** Returns the PKI, generating it on first use. */
    public static synchronized PkiFixture get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("tls-pki");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                PkiFixture pki = new PkiFixture(dir);
                pki.generate();
                instance = pki;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return instance;
    }

    /**
     * Returns a file of the PKI, such as {@code ca.crt}, {@code server.key},
     * {@code client.p12}.
     */
    public Path file(String name) {
        return this.dir.resolve(name);
    }

    /** Returns a file's text. */
    public String text(String name) {
        try {
            return Files.readString(file(name), StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Returns the directory holding the PKI. */
    public Path dir() {
        return this.dir;
    }

    /**
     * Returns a JDK server {@link SSLContext} presenting {@code <name>.crt} with the EC
     * key {@code <name>.key}, such as {@code self} (self-signed, SAN
     * {@code DNS:localhost, IP:127.0.0.1}) or {@code server} (issued by {@code ca.crt}).
     * @param name the base name of the certificate and key files
     * @return a server context
     */
    public SSLContext jdkServerContext(String name) {
        try {
            Certificate certificate = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(text(name + ".crt").getBytes(StandardCharsets.US_ASCII)));
            String base64 = text(name + ".key").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey, new char[0], new Certificate[] { certificate });
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot build a server context from " + name + ".crt and " + name + ".key",
                    ex);
        }
    }

    private void generate() throws IOException {
        Files.writeString(file("ca.cnf"),
                String.join("\n", "[ca]", "default_ca = test", "[test]", "database = " + file("index.txt"),
                        "new_certs_dir = " + this.dir, "serial = " + file("serial"), "default_md = sha256",
                        "policy = any", "copy_extensions = copy", "unique_subject = no", "[any]",
                        "commonName = supplied", "[server]", "subjectAltName = DNS:localhost, IP:127.0.0.1",
                        "basicConstraints = CA:false", "extendedKeyUsage = serverAuth", "[ca_ext]",
                        "basicConstraints = critical, CA:true", "keyUsage = critical, keyCertSign, cRLSign", "[client]",
                        "basicConstraints = CA:false", "extendedKeyUsage = clientAuth", "[wrong]",
                        "subjectAltName = DNS:wrong.example", "basicConstraints = CA:false", ""));
        Files.writeString(file("index.txt"), "");
        Files.writeString(file("serial"), "1000\n");
        Files.writeString(file("ext-server"), "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
                + "basicConstraints = CA:false\nextendedKeyUsage = serverAuth\n"
                + "authorityInfoAccess = OCSP;URI:http://ocsp.example/, caIssuers;URI:http://ca.example/ca.crt\n");
        Files.writeString(file("ext-ca"),
                "basicConstraints = critical, CA:true\n" + "keyUsage = critical, keyCertSign, cRLSign\n");
        Files.writeString(file("ext-client"), "basicConstraints = CA:false\nextendedKeyUsage = clientAuth\n");
        Files.writeString(file("ext-wrong"), "subjectAltName = DNS:wrong.example\nbasicConstraints = CA:false\n");

        ecKey("ca.key");
        openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Test Root CA/O=SocketConnector", "-days",
                "3650", "-addext", "basicConstraints=critical,CA:true", "-addext",
                "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.crt");
        ecKey("other-ca.key");
        openssl("req", "-x509", "-new", "-key", "other-ca.key", "-subj", "/CN=Other CA", "-days", "3650", "-addext",
                "basicConstraints=critical,CA:true", "-out", "other-ca.crt");
        ecKey("intermediate.key");
        sign("intermediate", "/CN=Test Intermediate CA", "ca", "ext-ca");

        ecKey("server.key");
        sign("server", "/CN=localhost/O=SocketConnector", "ca", "ext-server");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server-rsa.key");
        sign("server-rsa", "/CN=localhost/O=SocketConnector", "ca", "ext-server");
        ecKey("chained.key");
        sign("chained", "/CN=localhost", "intermediate", "ext-server");
        concat("chained-chain.crt", "chained.crt", "intermediate.crt");
        concat("chained-full.crt", "chained.crt", "intermediate.crt", "ca.crt");
        concat("intermediate-root.crt", "intermediate.crt", "ca.crt");
        ecKey("wrong.key");
        sign("wrong", "/CN=wrong.example", "ca", "ext-wrong");
        ecKey("self.key");
        openssl("req", "-x509", "-new", "-key", "self.key", "-subj", "/CN=localhost", "-days", "30", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1", "-out", "self.crt");
        ecKey("expired.key");
        caSign("expired", "20200101000000Z", "20210101000000Z");
        ecKey("future.key");
        caSign("future", "20450101000000Z", "20460101000000Z");

        ecKey("client.key");
        sign("client", "/CN=test client/O=SocketConnector", "ca", "ext-client");
        openssl("pkcs8", "-topk8", "-in", "client.key", "-v2", "aes-256-cbc", "-passout", "pass:" + PASSPHRASE, "-out",
                "client-encrypted.key");
        openssl("ec", "-in", "client.key", "-out", "client-sec1.key");
        openssl("ec", "-in", "client.key", "-aes128", "-passout", "pass:" + PASSPHRASE, "-out",
                "client-sec1-encrypted.key");
        openssl("pkcs12", "-export", "-inkey", "client.key", "-in", "client.crt", "-certfile", "ca.crt", "-passout",
                "pass:" + PASSPHRASE, "-out", "client.p12");
        openssl("rsa", "-in", "server-rsa.key", "-traditional", "-out", "server-rsa-pkcs1.key");
        generateRefused();
    }

    /**
     * Certificates OpenSSL refuses for the {@code sslserver} purpose at security level 1,
     * each with the SAN {@code DNS:localhost, IP:127.0.0.1} unless said otherwise: a
     * client-only and a code-signing-only extended key usage, a key usage of keyCertSign
     * only, SHA-1 and MD5 signatures (MD5 by an RSA CA, {@code rsa-ca.crt}), and a root
     * limited by name constraints to {@code good.test} ({@code nc-ca.crt}) that issued
     * {@code nc-evil.crt} (SAN {@code DNS:evil.test}) and {@code nc-good.crt}
     * ({@code DNS:good.test}).
     */
    private void generateRefused() throws IOException {
        String san = "subjectAltName = DNS:localhost, IP:127.0.0.1\n";
        Files.writeString(file("ext-eku-client"), san + "extendedKeyUsage = clientAuth\n");
        Files.writeString(file("ext-eku-codesign"), san + "extendedKeyUsage = codeSigning\n");
        Files.writeString(file("ext-ku-certsign"), san + "keyUsage = critical, keyCertSign\n");
        Files.writeString(file("ext-plain"), san + "basicConstraints = CA:false\n");
        Files.writeString(file("ext-evil"), "subjectAltName = DNS:evil.test\nbasicConstraints = CA:false\n");
        Files.writeString(file("ext-good"), "subjectAltName = DNS:good.test\nbasicConstraints = CA:false\n");
        for (String name : List.of("eku-client", "eku-codesign", "ku-certsign")) {
            ecKey(name + ".key");
            sign(name, "/CN=localhost", "ca", "ext-" + name);
        }
        ecKey("sha1.key");
        openssl("req", "-new", "-key", "sha1.key", "-subj", "/CN=localhost", "-out", "sha1.csr");
        openssl("x509", "-req", "-in", "sha1.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days",
                "825", "-sha1", "-extfile", "ext-plain", "-out", "sha1.crt");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-ca.key");
        openssl("req", "-x509", "-new", "-key", "rsa-ca.key", "-subj", "/CN=Test RSA CA", "-days", "3650", "-addext",
                "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out",
                "rsa-ca.crt");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "md5.key");
        openssl("req", "-new", "-key", "md5.key", "-subj", "/CN=localhost", "-out", "md5.csr");
        openssl("x509", "-req", "-in", "md5.csr", "-CA", "rsa-ca.crt", "-CAkey", "rsa-ca.key", "-CAcreateserial",
                "-days", "825", "-md5", "-extfile", "ext-plain", "-out", "md5.crt");
        ecKey("nc-ca.key");
        openssl("req", "-x509", "-new", "-key", "nc-ca.key", "-subj", "/CN=Constrained Root", "-days", "3650",
                "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "nameConstraints=critical,permitted;DNS:good.test", "-out", "nc-ca.crt");
        ecKey("nc-evil.key");
        sign("nc-evil", "/CN=evil.test", "nc-ca", "ext-evil");
        ecKey("nc-good.key");
        sign("nc-good", "/CN=good.test", "nc-ca", "ext-good");
    }

    private void ecKey(String name) {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
    }

    private void sign(String name, String subject, String issuer, String extensions) {
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".crt", "-CAkey", issuer + ".key",
                "-CAcreateserial", "-days", "825", "-sha256", "-extfile", extensions, "-out", name + ".crt");
    }

    private void caSign(String name, String start, String end) {
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=localhost", "-out", name + ".csr");
        openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in", name + ".csr",
                "-startdate", start, "-enddate", end, "-extensions", "server", "-notext", "-out", name + ".crt");
    }

    private void concat(String target, String... sources) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String source : sources) {
            text.append(text(source));
        }
        Files.writeString(file(target), text);
    }

    /**
     * Runs {@code openssl} in the PKI directory and returns its standard output.
     * @param args the arguments
     * @return the output
     */
    public String openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(Arrays.asList(args));
        try {
            Process process = new ProcessBuilder(command).directory(this.dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + command);
            }
            return new String(output, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // best effort at exit
        }
    }

}
