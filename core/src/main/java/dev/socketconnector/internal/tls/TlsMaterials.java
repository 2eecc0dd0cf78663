package dev.socketconnector.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import dev.socketconnector.TlsOptions;
import org.jspecify.annotations.Nullable;

/**
 * Reads the certificates and keys of {@link TlsOptions}; every message names the option.
 * A PEM private key is parsed by {@link TlsPrivateKeys}.
 */
public final class TlsMaterials {

    private TlsMaterials() {
    }

    /**
     * A private key with its certificate chain, both possibly null.
     *
     * @param key the key
     * @param chain the chain, leaf first
     */
    public record KeyAndChain(@Nullable PrivateKey key, @Nullable List<X509Certificate> chain) {
    }

    /**
     * Reads certificates from PEM text, PEM or PKCS#12 files and certificate objects.
     * @param sources the sources
     * @param passphrase the PKCS#12 passphrase or null
     * @param option the option name for messages
     * @return the certificates
     */
    public static List<X509Certificate> certificates(List<Object> sources, @Nullable String passphrase, String option) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object source : sources) {
            if (source instanceof X509Certificate certificate) {
                certificates.add(certificate);
            }
            else if (source instanceof String pem) {
                certificates.addAll(parseCertificates(pem.getBytes(StandardCharsets.US_ASCII), option, "PEM text"));
            }
            else if (source instanceof Path path) {
                byte[] bytes = read(path, option);
                if (isPem(bytes)) {
                    certificates.addAll(parseCertificates(bytes, option, "file " + path));
                }
                else {
                    certificates.addAll(pkcs12(bytes, passphrase, option, path).certificates());
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(option + " holds no certificate");
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the client key and certificate chain. A PKCS#12 {@code cert} file also
     * supplies the key when {@code key} is unset.
     * @param certSources the certificate sources
     * @param keySource the key source or null
     * @param passphrase the passphrase or null
     * @return the key and chain
     */
    public static KeyAndChain keyAndChain(List<Object> certSources, @Nullable Object keySource,
            @Nullable String passphrase) {
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        if (certSources.size() == 1 && certSources.get(0) instanceof Path path && isPkcs12File(path, "cert")) {
            Pkcs12 store = pkcs12(read(path, "cert"), passphrase, "cert", path);
            if (store.key() == null || store.chain().isEmpty()) {
                throw new IllegalArgumentException("cert file " + path + " holds no private key entry");
            }
            chain = store.chain();
            key = (keySource == null) ? store.key() : null;
        }
        else if (!certSources.isEmpty()) {
            chain = certificates(certSources, passphrase, "cert");
        }
        if (keySource instanceof PrivateKey privateKey) {
            key = privateKey;
        }
        else if (keySource instanceof String pem) {
            key = TlsPrivateKeys.parseKey(pem, passphrase, "key");
        }
        else if (keySource instanceof Path path) {
            byte[] bytes = read(path, "key");
            if (isPem(bytes)) {
                key = TlsPrivateKeys.parseKey(new String(bytes, StandardCharsets.US_ASCII), passphrase,
                        "key file " + path);
            }
            else {
                key = pkcs12(bytes, passphrase, "key", path).key();
                if (key == null) {
                    throw new IllegalArgumentException("key file " + path + " holds no private key entry");
                }
            }
        }
        if ((key == null) != (chain == null)) {
            throw new IllegalArgumentException(
                    (key == null) ? "key is required when cert is set" : "cert is required when key is set");
        }
        if (key != null && !matches(key, chain.get(0))) {
            throw new IllegalArgumentException(
                    "key does not match the public key of cert " + chain.get(0).getSubjectX500Principal().getName());
        }
        return new KeyAndChain(key, chain);
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        if (key instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus());
        }
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        return true;
    }

    private static boolean isPem(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
        return head.contains("-----BEGIN ");
    }

    private static boolean isPkcs12File(Path path, String option) {
        return !isPem(read(path, option));
    }

    private static byte[] read(Path path, String option) {
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " file " + path + " is a directory, not a file");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " file " + path + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(
                    option + " file " + path + " is not a regular file (a FIFO, socket or device is refused)");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(option + " file " + path + " is not readable");
        }
        try {
            return Files.readAllBytes(path);
        }
        catch (IOException ex) {
            throw new IllegalArgumentException(option + " file " + path + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    private static List<X509Certificate> parseCertificates(byte[] bytes, String option, String what) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(option + " " + what + " holds no certificate");
            }
            return certificates;
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            if (ex instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith(option)) {
                throw iae;
            }
            throw new IllegalArgumentException(option + " " + what + " is not a valid PEM certificate", ex);
        }
    }

    private record Pkcs12(@Nullable PrivateKey key, List<X509Certificate> chain, List<X509Certificate> certificates) {
    }

    private static Pkcs12 pkcs12(byte[] bytes, @Nullable String passphrase, String option, Path path) {
        char[] password = (passphrase != null) ? passphrase.toCharArray() : new char[0];
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            PrivateKey key = null;
            List<X509Certificate> chain = new ArrayList<>();
            List<X509Certificate> all = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (key == null && store.isKeyEntry(alias)) {
                    java.security.Key entry = store.getKey(alias, password);
                    if (entry instanceof PrivateKey privateKey) {
                        key = privateKey;
                        Certificate[] certificates = store.getCertificateChain(alias);
                        if (certificates != null) {
                            for (Certificate certificate : certificates) {
                                chain.add((X509Certificate) certificate);
                            }
                        }
                    }
                }
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    all.add(x509);
                }
            }
            for (X509Certificate certificate : chain) {
                if (!all.contains(certificate)) {
                    all.add(certificate);
                }
            }
            return new Pkcs12(key, List.copyOf(chain), List.copyOf(all));
        }
        catch (IOException ex) {
            String reason = (passphrase == null) ? "(is it PEM or PKCS#12? a PKCS#12 file may need passphrase)"
                    : "(not a PEM or PKCS#12 file, or a wrong passphrase)";
            throw new IllegalArgumentException(option + " file " + path + " cannot be read as PKCS#12 " + reason, ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException(option + " file " + path + " is not a usable PKCS#12 file", ex);
        }
        finally {
            Arrays.fill(password, '\0');
        }
    }

}
