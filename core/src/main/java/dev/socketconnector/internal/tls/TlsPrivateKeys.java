package dev.socketconnector.internal.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
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

import org.jspecify.annotations.Nullable;

/**
 * Parses a PEM private key for {@link TlsMaterials}: PKCS#8, encrypted PKCS#8 (PBES2),
 * legacy OpenSSL-encrypted PEM ({@code DEK-Info}), PKCS#1 RSA and SEC1 EC. Every message
 * names the option; decrypted bytes and passwords are zeroed after use. Stateless;
 * thread-safe.
 */
final class TlsPrivateKeys {

    private static final Pattern PEM_KEY = Pattern
        .compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(.*?)-----END \\1PRIVATE KEY-----", Pattern.DOTALL);

    private TlsPrivateKeys() {
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
