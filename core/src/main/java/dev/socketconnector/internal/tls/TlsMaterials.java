package dev.socketconnector.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import dev.socketconnector.TlsOptions;
import org.jspecify.annotations.Nullable;

/**
 * Reads the certificates and keys of {@link TlsOptions}; every message names the option.
 */
public final class TlsMaterials {

    private static final Pattern PEM_KEY = Pattern
        .compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(.*?)-----END \\1PRIVATE KEY-----", Pattern.DOTALL);

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
            key = parseKey(pem, passphrase, "key");
        }
        else if (keySource instanceof Path path) {
            byte[] bytes = read(path, "key");
            if (isPem(bytes)) {
                key = parseKey(new String(bytes, StandardCharsets.US_ASCII), passphrase, "key file " + path);
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

    static PrivateKey parseKey(String pem, @Nullable String passphrase, String option) {
        Matcher matcher = PEM_KEY.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException(
                    option + " is not a PEM private key (PKCS#8, encrypted PKCS#8," + " PKCS#1 RSA or SEC1 EC)");
        }
        String type = matcher.group(1).trim();
        Map<String, String> headers = new HashMap<>();
        StringBuilder base64 = new StringBuilder();
        for (String line : matcher.group(2).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            else {
                base64.append(line.trim());
            }
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.toString());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(option + " is not valid PEM (bad base64)");
        }
        try {
            if (headers.getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
                der = decryptLegacy(der, headers.get("DEK-Info"), passphrase, option);
            }
            switch (type) {
                case "":
                    return pkcs8(der, option);
                case "ENCRYPTED":
                    return pkcs8(decryptPkcs8(der, passphrase, option), option);
                case "RSA":
                    return pkcs1(der, option);
                case "EC":
                    return sec1(der, option);
                default:
                    throw new IllegalArgumentException(option + ": " + type + " PRIVATE KEY is not supported"
                            + " (use PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC)");
            }
        }
        finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static PrivateKey pkcs8(byte[] der, String option) {
        for (String algorithm : new String[] { "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS" }) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (GeneralSecurityException | RuntimeException ex) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(option + " is not an RSA, EC or EdDSA PKCS#8 key");
    }

    private static byte[] decryptPkcs8(byte[] der, @Nullable String passphrase, String option) {
        if (passphrase == null) {
            throw new IllegalArgumentException(option + " is encrypted: set passphrase");
        }
        char[] password = passphrase.toCharArray();
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            if (info.getAlgParameters() != null
                    && (algorithm.equals("PBES2") || algorithm.equals("1.2.840.113549.1.5.13"))) {
                algorithm = info.getAlgParameters().toString();
            }
            SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        }
        catch (GeneralSecurityException | IOException ex) {
            throw new IllegalArgumentException(
                    option + " cannot be decrypted: wrong passphrase or unsupported encryption");
        }
        finally {
            Arrays.fill(password, '\0');
        }
    }

    private static byte[] decryptLegacy(byte[] der, @Nullable String dekInfo, @Nullable String passphrase,
            String option) {
        if (passphrase == null) {
            throw new IllegalArgumentException(option + " is encrypted: set passphrase");
        }
        if (dekInfo == null || dekInfo.indexOf(',') < 0) {
            throw new IllegalArgumentException(option + " is encrypted but has no DEK-Info header");
        }
        String algorithm = dekInfo.substring(0, dekInfo.indexOf(',')).trim().toUpperCase(Locale.ROOT);
        byte[] iv = HexFormat.of().parseHex(dekInfo.substring(dekInfo.indexOf(',') + 1).trim());
        int keyLength;
        String transformation;
        String keyAlgorithm;
        switch (algorithm) {
            case "AES-128-CBC" -> {
                keyLength = 16;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "AES-192-CBC" -> {
                keyLength = 24;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "AES-256-CBC" -> {
                keyLength = 32;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "DES-EDE3-CBC" -> {
                keyLength = 24;
                transformation = "DESede/CBC/PKCS5Padding";
                keyAlgorithm = "DESede";
            }
            default -> throw new IllegalArgumentException(option + " uses unsupported PEM encryption " + algorithm);
        }
        byte[] password = passphrase.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[keyLength];
        try {
            // OpenSSL's EVP_BytesToKey with MD5 and the IV's first 8 bytes as the salt.
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] previous = new byte[0];
            int filled = 0;
            while (filled < keyLength) {
                md5.update(previous);
                md5.update(password);
                md5.update(iv, 0, 8);
                previous = md5.digest();
                int count = Math.min(previous.length, keyLength - filled);
                System.arraycopy(previous, 0, key, filled, count);
                filled += count;
            }
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
            return cipher.doFinal(der);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException(option + " cannot be decrypted: wrong passphrase");
        }
        finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    private static PrivateKey pkcs1(byte[] der, String option) {
        try {
            TlsDer sequence = new TlsDer(der).next(TlsDer.SEQUENCE).reader();
            sequence.next(TlsDer.INTEGER);
            RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(sequence.next(TlsDer.INTEGER).integer(),
                    sequence.next(TlsDer.INTEGER).integer(), sequence.next(TlsDer.INTEGER).integer(),
                    sequence.next(TlsDer.INTEGER).integer(), sequence.next(TlsDer.INTEGER).integer(),
                    sequence.next(TlsDer.INTEGER).integer(), sequence.next(TlsDer.INTEGER).integer(),
                    sequence.next(TlsDer.INTEGER).integer());
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IllegalArgumentException(option + " is not a valid PKCS#1 RSA key");
        }
    }

    private static PrivateKey sec1(byte[] der, String option) {
        try {
            TlsDer sequence = new TlsDer(der).next(TlsDer.SEQUENCE).reader();
            sequence.next(TlsDer.INTEGER);
            byte[] secret = sequence.next(TlsDer.OCTET_STRING).content();
            String curve = null;
            while (sequence.hasMore()) {
                TlsDer.Element element = sequence.next();
                if (element.tag() == 0xa0) {
                    curve = element.reader().next(TlsDer.OID).oid();
                }
            }
            if (curve == null) {
                throw new IllegalArgumentException(option + " is a SEC1 EC key without named curve parameters");
            }
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, secret), spec));
            Arrays.fill(secret, (byte) 0);
            return key;
        }
        catch (GeneralSecurityException | IllegalArgumentException ex) {
            if (ex.getMessage() != null && ex.getMessage().startsWith(option)) {
                throw (IllegalArgumentException) ex;
            }
            throw new IllegalArgumentException(option + " is not a valid SEC1 EC key");
        }
    }

}
