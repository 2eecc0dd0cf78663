package dev.socketconnector.internal.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.socketconnector.EphemeralKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * Node's names for TLS code points: signature schemes ({@code "RSA-PSS+SHA256"}),
 * key-exchange groups ({@code "X25519"}, 253 bits) and a suite's minimum protocol
 * version.
 */
final class TlsNames {

    private static final Map<Integer, String> SIGALGS = Map.ofEntries(Map.entry(0x0201, "RSA+SHA1"),
            Map.entry(0x0301, "RSA+SHA224"), Map.entry(0x0401, "RSA+SHA256"), Map.entry(0x0501, "RSA+SHA384"),
            Map.entry(0x0601, "RSA+SHA512"), Map.entry(0x0203, "ECDSA+SHA1"), Map.entry(0x0303, "ECDSA+SHA224"),
            Map.entry(0x0403, "ECDSA+SHA256"), Map.entry(0x0503, "ECDSA+SHA384"), Map.entry(0x0603, "ECDSA+SHA512"),
            Map.entry(0x0804, "RSA-PSS+SHA256"), Map.entry(0x0805, "RSA-PSS+SHA384"),
            Map.entry(0x0806, "RSA-PSS+SHA512"), Map.entry(0x0809, "RSA-PSS+SHA256"),
            Map.entry(0x080a, "RSA-PSS+SHA384"), Map.entry(0x080b, "RSA-PSS+SHA512"), Map.entry(0x0807, "Ed25519"),
            Map.entry(0x0808, "Ed448"), Map.entry(0x081a, "ECDSA+SHA256"), Map.entry(0x081b, "ECDSA+SHA384"),
            Map.entry(0x081c, "ECDSA+SHA512"), Map.entry(0x0202, "DSA+SHA1"), Map.entry(0x0402, "DSA+SHA256"),
            Map.entry(0x0502, "DSA+SHA384"), Map.entry(0x0602, "DSA+SHA512"));

    /** Group code point to what {@code getEphemeralKeyInfo()} reports for it. */
    private static final Map<Integer, EphemeralKeyInfo> GROUPS = Map.ofEntries(
            Map.entry(0x001d, new EphemeralKeyInfo("ECDH", "X25519", 253)),
            Map.entry(0x001e, new EphemeralKeyInfo("ECDH", "X448", 448)),
            Map.entry(0x0017, new EphemeralKeyInfo("ECDH", "prime256v1", 256)),
            Map.entry(0x0018, new EphemeralKeyInfo("ECDH", "secp384r1", 384)),
            Map.entry(0x0019, new EphemeralKeyInfo("ECDH", "secp521r1", 521)),
            // Hybrid post-quantum groups: the classical X25519 part gives type and size
            // (our convention).
            Map.entry(0x11ec, new EphemeralKeyInfo("ECDH", "X25519MLKEM768", 253)),
            Map.entry(0x6399, new EphemeralKeyInfo("ECDH", "X25519Kyber768Draft00", 253)),
            Map.entry(0x0100, new EphemeralKeyInfo("DH", null, 2048)),
            Map.entry(0x0101, new EphemeralKeyInfo("DH", null, 3072)),
            Map.entry(0x0102, new EphemeralKeyInfo("DH", null, 4096)),
            Map.entry(0x0103, new EphemeralKeyInfo("DH", null, 6144)),
            Map.entry(0x0104, new EphemeralKeyInfo("DH", null, 8192)));

    private TlsNames() {
    }

    /**
     * Node's {@code getSharedSigalgs()} on a client: the server's CertificateRequest
     * list, in its order, restricted to what the client offered; empty without a
     * CertificateRequest.
     */
    static List<String> sharedSigalgs(List<Integer> offered, @Nullable List<Integer> requested) {
        if (requested == null) {
            return List.of();
        }
        List<String> shared = new ArrayList<>();
        for (int code : requested) {
            if (offered.isEmpty() || offered.contains(code)) {
                shared.add(sigalg(code));
            }
        }
        return List.copyOf(shared);
    }

    static String sigalg(int code) {
        String name = SIGALGS.get(code);
        return (name != null) ? name : String.format(Locale.ROOT, "0x%04x", code);
    }

    /**
     * Maps the JDK's lossy JCA names ({@code SHA256withECDSA}, {@code RSASSA-PSS}) to
     * Node's format.
     */
    static List<String> jdkSigalgs(String[] names) {
        List<String> shared = new ArrayList<>();
        for (String name : names) {
            String upper = name.toUpperCase(Locale.ROOT);
            int with = upper.indexOf("WITH");
            if (with > 0) {
                String hash = upper.substring(0, with);
                String sign = upper.substring(with + 4);
                shared.add((sign.equals("ECDSA") ? "ECDSA" : sign.equals("RSA") ? "RSA" : sign) + "+" + hash);
            }
            else if (upper.equals("RSASSA-PSS")) {
                shared.add("RSA-PSS");
            }
            else {
                shared.add(name);
            }
        }
        return List.copyOf(shared);
    }

    /**
     * Node's {@code getEphemeralKeyInfo()} on a client, from the handshake as seen on the
     * wire.
     */
    static EphemeralKeyInfo ephemeralKeyInfo(boolean tls13, boolean reused, int keyShareGroup,
            int serverKeyExchangeGroup, int dhBits) {
        if (tls13) {
            return group(keyShareGroup);
        }
        if (reused) {
            return EphemeralKeyInfo.NONE;
        }
        if (serverKeyExchangeGroup >= 0) {
            return group(serverKeyExchangeGroup);
        }
        if (dhBits > 0) {
            return new EphemeralKeyInfo("DH", null, dhBits);
        }
        return EphemeralKeyInfo.NONE;
    }

    static EphemeralKeyInfo group(int code) {
        if (code < 0) {
            return EphemeralKeyInfo.NONE;
        }
        EphemeralKeyInfo group = GROUPS.get(code);
        if (group == null) {
            return new EphemeralKeyInfo("ECDH", String.format(Locale.ROOT, "0x%04x", code), null);
        }
        return group;
    }

    /**
     * The lowest version a suite is defined for, as BoringSSL's
     * {@code SSL_CIPHER_get_version} (Bun).
     */
    static String cipherVersion(String suite) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
            return "TLSv1.3";
        }
        if (suite.contains("_GCM_") || suite.contains("CHACHA20") || suite.endsWith("_SHA256")
                || suite.endsWith("_SHA384")) {
            return "TLSv1.2";
        }
        return "TLSv1/SSLv3";
    }

}
