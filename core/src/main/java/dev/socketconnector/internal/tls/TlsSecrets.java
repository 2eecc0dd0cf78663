package dev.socketconnector.internal.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * One connection's TLS secrets and the key schedule math on them: the TLS 1.2 PRF
 * (exporter and Finished, RFC 5246/5705), the TLS 1.3 HKDF exporter (RFC 8446 7.5) and
 * record decryption. Secrets arrive from BoringSSL's key log ({@link TlsKeyLog}) or
 * {@code SSL.getMasterKey}; only what the exporter needs is kept after the handshake, and
 * {@link #wipe()} zeroes everything. Never logged. Thread-safe.
 */
final class TlsSecrets {

    static final String SERVER_HANDSHAKE = "SERVER_HANDSHAKE_TRAFFIC_SECRET";

    static final String SERVER_TRAFFIC = "SERVER_TRAFFIC_SECRET_0";

    static final String EXPORTER = "EXPORTER_SECRET";

    static final String MASTER = "CLIENT_RANDOM";

    /** The labels whose secrets are kept; the key log decodes no other line. */
    static final List<String> KEPT = List.of(SERVER_HANDSHAKE, SERVER_TRAFFIC, EXPORTER, MASTER);

    private final Map<String, byte[]> secrets = new HashMap<>();

    /** Stores one secret; labels not needed here are dropped and zeroed. */
    synchronized void put(String label, byte[] secret) {
        if (KEPT.contains(label)) {
            byte[] old = this.secrets.put(label, secret);
            if (old != null) {
                Arrays.fill(old, (byte) 0);
            }
        }
        else {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The stored array itself, not a copy (tests: it is zeroed once wiped). */
    synchronized byte @Nullable [] held(String label) {
        return this.secrets.get(label);
    }

    synchronized byte @Nullable [] get(String label) {
        byte[] secret = this.secrets.get(label);
        return (secret != null) ? secret.clone() : null;
    }

    /** Zeroes and forgets the secret. */
    synchronized void remove(String label) {
        byte[] secret = this.secrets.remove(label);
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Zeroes and forgets every secret. */
    synchronized void wipe() {
        for (byte[] secret : this.secrets.values()) {
            Arrays.fill(secret, (byte) 0);
        }
        this.secrets.clear();
    }

    // ---- TLS 1.2 ----

    /**
     * HMAC over {@code MessageDigest}, with key blocks this class owns and zeroes on
     * {@link #close()}: unlike {@code Mac.init(new SecretKeySpec(secret))}, no copy of
     * the secret stays behind in a key object or a provider's HMAC state. Not
     * thread-safe; one computation at a time.
     */
    static final class Hmac implements AutoCloseable {

        /**
         * The key XOR ipad and XOR opad blocks (package-private: tests check they are
         * zero after close).
         */
        final byte[] inner;

        final byte[] outer;

        private final MessageDigest digest;

        Hmac(String hmac, byte[] key) {
            try {
                this.digest = MessageDigest.getInstance(hashOf(hmac));
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException(hmac + " is not available", ex);
            }
            int block = hmac.equals("HmacSHA384") ? 128 : 64;
            byte[] k = (key.length > block) ? this.digest.digest(key) : key;
            this.inner = new byte[block];
            this.outer = new byte[block];
            for (int i = 0; i < block; i++) {
                byte b = (i < k.length) ? k[i] : 0;
                this.inner[i] = (byte) (b ^ 0x36);
                this.outer[i] = (byte) (b ^ 0x5c);
            }
            if (k != key) {
                Arrays.fill(k, (byte) 0);
            }
        }

        /** Returns HMAC(key, the parts concatenated). */
        byte[] mac(byte[]... parts) {
            this.digest.update(this.inner);
            for (byte[] part : parts) {
                this.digest.update(part);
            }
            byte[] innerHash = this.digest.digest();
            this.digest.update(this.outer);
            this.digest.update(innerHash);
            Arrays.fill(innerHash, (byte) 0);
            return this.digest.digest();
        }

        @Override
        public void close() {
            Arrays.fill(this.inner, (byte) 0);
            Arrays.fill(this.outer, (byte) 0);
            this.digest.reset();
        }

    }

    /**
     * The TLS 1.2 PRF: P_hash(secret, label || seed); every intermediate value derived
     * from the secret is zeroed.
     */
    static byte[] prf(String hmac, byte[] secret, String label, byte[] seed, int length) {
        byte[] labelSeed = concat(label.getBytes(StandardCharsets.US_ASCII), seed);
        byte[] out = new byte[length];
        try (Hmac mac = new Hmac(hmac, secret)) {
            byte[] a = labelSeed;
            int filled = 0;
            while (filled < length) {
                byte[] next = mac.mac(a);
                if (a != labelSeed) {
                    Arrays.fill(a, (byte) 0);
                }
                a = next;
                byte[] block = mac.mac(a, labelSeed);
                int count = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, count);
                Arrays.fill(block, (byte) 0);
                filled += count;
            }
            Arrays.fill(a, (byte) 0);
        }
        return out;
    }

    /** The HMAC of the PRF for a TLS 1.2 suite (IANA name). */
    static String prfHmac(String suite) {
        return suite.endsWith("SHA384") ? "HmacSHA384" : "HmacSHA256";
    }

    static String hashOf(String hmac) {
        return hmac.equals("HmacSHA384") ? "SHA-384" : "SHA-256";
    }

    /** RFC 5705 exporter for TLS 1.2; a null context is left out, an empty one is not. */
    static byte[] export12(String suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom, String label,
            byte @Nullable [] context, int length) {
        byte[] seed = concat(clientRandom, serverRandom);
        if (context != null) {
            seed = concat(seed, new byte[] { (byte) (context.length >> 8), (byte) context.length }, context);
        }
        return prf(prfHmac(suite), masterSecret, label, seed, length);
    }

    /**
     * Computes the TLS 1.2 Finished verify_data of both sides from the transcript.
     * @param suite the IANA suite name
     * @param masterSecret the master secret
     * @param transcript plaintext handshake messages and {@link TlsSniffer.Finished}
     * markers, in order
     * @return both sides' verify_data (12 bytes each)
     */
    static Finished12 finished12(String suite, byte[] masterSecret, List<Object> transcript) {
        String hmac = prfHmac(suite);
        try {
            MessageDigest digest = MessageDigest.getInstance(hashOf(hmac));
            byte[] client = null;
            byte[] server = null;
            for (Object entry : transcript) {
                if (entry instanceof byte[] message) {
                    digest.update(message);
                    continue;
                }
                boolean isClient = entry == TlsSniffer.Finished.CLIENT;
                byte[] verifyData = prf(hmac, masterSecret, isClient ? "client finished" : "server finished",
                        ((MessageDigest) digest.clone()).digest(), 12);
                digest.update(new byte[] { 20, 0, 0, 12 });
                digest.update(verifyData);
                if (isClient) {
                    client = verifyData;
                }
                else {
                    server = verifyData;
                }
            }
            if (client == null) {
                // Abbreviated handshake: the client's Finished is the last message, maybe
                // not yet written.
                client = prf(hmac, masterSecret, "client finished", digest.digest(), 12);
            }
            return new Finished12(client, server);
        }
        catch (GeneralSecurityException | CloneNotSupportedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Both TLS 1.2 Finished messages' verify_data.
     *
     * @param client this side's (the client's)
     * @param server the server's, or null when the transcript holds none
     */
    record Finished12(byte[] client, byte @Nullable [] server) {
    }

    // ---- TLS 1.3 ----

    /** The TLS 1.3 suite parameters: hash, key length and AEAD. */
    record Suite13(String hash, String hmac, int keyLength, boolean chacha) {

        static @Nullable Suite13 of(String suite) {
            return switch (suite) {
                case "TLS_AES_128_GCM_SHA256" -> new Suite13("SHA-256", "HmacSHA256", 16, false);
                case "TLS_AES_256_GCM_SHA384" -> new Suite13("SHA-384", "HmacSHA384", 32, false);
                case "TLS_CHACHA20_POLY1305_SHA256" -> new Suite13("SHA-256", "HmacSHA256", 32, true);
                default -> null;
            };
        }
    }

    static byte[] hkdfExpandLabel(String hmac, byte[] secret, String label, byte[] context, int length) {
        byte[] fullLabel = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(length >> 8);
        info.write(length);
        info.write(fullLabel.length);
        info.writeBytes(fullLabel);
        info.write(context.length);
        info.writeBytes(context);
        return hkdfExpand(hmac, secret, info.toByteArray(), length);
    }

    static byte[] hkdfExpand(String hmac, byte[] prk, byte[] info, int length) {
        byte[] out = new byte[length];
        try (Hmac mac = new Hmac(hmac, prk)) {
            byte[] previous = new byte[0];
            int filled = 0;
            for (int counter = 1; filled < length; counter++) {
                byte[] next = mac.mac(previous, info, new byte[] { (byte) counter });
                Arrays.fill(previous, (byte) 0);
                previous = next;
                int count = Math.min(previous.length, length - filled);
                System.arraycopy(previous, 0, out, filled, count);
                filled += count;
            }
            Arrays.fill(previous, (byte) 0);
        }
        return out;
    }

    /** RFC 8446 7.5 exporter; a null context is the empty context. */
    static byte[] export13(Suite13 suite, byte[] exporterSecret, String label, byte @Nullable [] context, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance(suite.hash());
            byte[] emptyHash = digest.digest();
            byte[] derived = hkdfExpandLabel(suite.hmac(), exporterSecret, label, emptyHash, emptyHash.length);
            byte[] contextHash = digest.digest((context != null) ? context : new byte[0]);
            byte[] out = hkdfExpandLabel(suite.hmac(), derived, "exporter", contextHash, length);
            Arrays.fill(derived, (byte) 0);
            return out;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Decrypts the TLS 1.3 records protected by one traffic secret: the key and IV are
     * derived and the cipher is looked up once, not per record (a cipher lookup and two
     * HKDF expansions per record were most of a TLS 1.3 connect's decryption cost).
     * {@link #close()} zeroes the derived key and IV (the cipher's own key schedule
     * cannot be wiped, as before). Not thread-safe; one per connection and secret.
     */
    static final class Decryptor13 implements AutoCloseable {

        private final byte[] key;

        private final byte[] iv;

        private final byte[] nonce;

        private final Cipher cipher;

        private final SecretKeySpec keySpec;

        private final boolean chacha;

        /**
         * Derives the record key and IV from a traffic secret (which stays the caller's).
         * @param suite the suite
         * @param trafficSecret the sender's traffic secret
         * @throws GeneralSecurityException when the suite's cipher is not available
         */
        Decryptor13(Suite13 suite, byte[] trafficSecret) throws GeneralSecurityException {
            this.chacha = suite.chacha();
            this.key = hkdfExpandLabel(suite.hmac(), trafficSecret, "key", new byte[0], suite.keyLength());
            this.iv = hkdfExpandLabel(suite.hmac(), trafficSecret, "iv", new byte[0], 12);
            this.nonce = new byte[12];
            try {
                this.cipher = Cipher.getInstance(this.chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
                this.keySpec = new SecretKeySpec(this.key, this.chacha ? "ChaCha20" : "AES");
            }
            catch (GeneralSecurityException | RuntimeException ex) {
                close();
                throw ex;
            }
        }

        /**
         * Decrypts one record.
         * @param sequence the record's sequence number under this secret
         * @param record header and body
         * @return the inner plaintext without padding, its last byte the content type;
         * null when it does not decrypt
         */
        byte @Nullable [] decrypt(long sequence, byte[] record) {
            System.arraycopy(this.iv, 0, this.nonce, 0, 12);
            for (int i = 0; i < 8; i++) {
                this.nonce[11 - i] ^= (byte) (sequence >>> (8 * i));
            }
            try {
                if (this.chacha) {
                    this.cipher.init(Cipher.DECRYPT_MODE, this.keySpec, new IvParameterSpec(this.nonce));
                }
                else {
                    this.cipher.init(Cipher.DECRYPT_MODE, this.keySpec, new GCMParameterSpec(128, this.nonce));
                }
                this.cipher.updateAAD(record, 0, 5);
                byte[] plain = this.cipher.doFinal(record, 5, record.length - 5);
                int end = plain.length;
                while (end > 0 && plain[end - 1] == 0) {
                    end--;
                }
                byte[] inner = Arrays.copyOf(plain, end);
                Arrays.fill(plain, (byte) 0);
                return inner;
            }
            catch (GeneralSecurityException | RuntimeException ex) {
                return null;
            }
            finally {
                Arrays.fill(this.nonce, (byte) 0);
            }
        }

        @Override
        public void close() {
            Arrays.fill(this.key, (byte) 0);
            Arrays.fill(this.iv, (byte) 0);
            Arrays.fill(this.nonce, (byte) 0);
        }

    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

}
