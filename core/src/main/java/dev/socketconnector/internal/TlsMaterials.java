package dev.socketconnector.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketconnector.TlsOptions;
import org.jspecify.annotations.Nullable;

/**
 * Reads the certificates and keys of {@link TlsOptions} and checks its fields; every message names the option.
 */
public final class TlsMaterials {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]+)-----END \\1PRIVATE KEY-----");

    private TlsMaterials() {
    }

    /**
     * A private key with its certificate chain, both possibly null.
     * @param key the key
     * @param chain the chain, leaf first
     */
    public record KeyAndChain(@Nullable PrivateKey key, @Nullable List<X509Certificate> chain) {
    }

    /**
     * Checks the ALPN names, versions and ciphers.
     * @param alpn the ALPN names or null
     * @param minVersion the lowest version or null
     * @param maxVersion the highest version or null
     * @param ciphers the ciphers or null
     */
    public static void validate(@Nullable List<String> alpn, @Nullable String minVersion,
            @Nullable String maxVersion, @Nullable List<String> ciphers) {
        if (alpn != null) {
            if (alpn.isEmpty()) {
                throw new IllegalArgumentException("alpnProtocols must not be empty");
            }
            for (String name : alpn) {
                if (name.isEmpty() || name.length() > 255 || !name.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
                    throw new IllegalArgumentException("alpnProtocols must be 1 to 255 printable ASCII characters"
                            + " each (was '" + name + "')");
                }
            }
        }
        checkVersion(minVersion, "minVersion");
        checkVersion(maxVersion, "maxVersion");
        if (minVersion != null && maxVersion != null && minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException("minVersion " + minVersion + " must not be above maxVersion "
                    + maxVersion);
        }
        if (ciphers != null) {
            if (ciphers.isEmpty()) {
                throw new IllegalArgumentException("ciphers must not be empty");
            }
            for (String cipher : ciphers) {
                if (cipher.isBlank()) {
                    throw new IllegalArgumentException("ciphers must not contain a blank name");
                }
            }
        }
    }

    private static void checkVersion(@Nullable String version, String option) {
        if (version != null && !TlsOptions.VERSIONS.contains(version)) {
            throw new IllegalArgumentException(option + " must be one of " + List.of("TLSv1.2", "TLSv1.3")
                    + " (was '" + version + "')");
        }
    }

    /**
     * Reads certificates from PEM text, files and certificate objects.
     * @param sources the sources
     * @param passphrase the PKCS#12 passphrase or null
     * @param option the option name for messages
     * @return the certificates
     */
    public static List<X509Certificate> certificates(List<Object> sources, @Nullable String passphrase,
            String option) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object source : sources) {
            if (source instanceof X509Certificate certificate) {
                certificates.add(certificate);
            }
            else if (source instanceof String pem) {
                certificates.addAll(parseCertificates(pem.getBytes(StandardCharsets.US_ASCII), option, "PEM text"));
            }
            else if (source instanceof Path path) {
                certificates.addAll(parseCertificates(read(path, option), option, path.toString()));
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(option + " holds no certificate");
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the client key and certificate chain.
     * @param certSources the certificate sources
     * @param keySource the key source or null
     * @param passphrase the passphrase or null
     * @return the key and chain
     */
    public static KeyAndChain keyAndChain(List<Object> certSources, @Nullable Object keySource,
            @Nullable String passphrase) {
        List<X509Certificate> chain = certSources.isEmpty() ? null : certificates(certSources, passphrase, "cert");
        PrivateKey key = null;
        if (keySource instanceof PrivateKey privateKey) {
            key = privateKey;
        }
        else if (keySource instanceof String pem) {
            key = parseKey(pem, "key");
        }
        else if (keySource instanceof Path path) {
            key = parseKey(new String(read(path, "key"), StandardCharsets.US_ASCII), "key");
        }
        if ((key == null) != (chain == null)) {
            throw new IllegalArgumentException((key == null) ? "key is required when cert is set"
                    : "cert is required when key is set");
        }
        return new KeyAndChain(key, chain);
    }

    private static byte[] read(Path path, String option) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(option + " file " + path + " is not a readable regular file");
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
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException(option + " " + what + " is not a valid certificate: "
                    + ex.getMessage(), ex);
        }
    }

    private static PrivateKey parseKey(String pem, String option) {
        Matcher matcher = PEM_KEY.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException(option + " is not a PEM private key");
        }
        String type = matcher.group(1).trim();
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(2).trim());
        if (!type.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + type + " PRIVATE KEY is not supported yet");
        }
        for (String algorithm : new String[] { "RSA", "EC", "Ed25519", "RSASSA-PSS" }) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (GeneralSecurityException ex) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(option + " is not an RSA, EC or Ed25519 PKCS#8 key");
    }
}
