package dev.socketconnector.internal.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.socketconnector.PeerCertificate;
import org.jspecify.annotations.Nullable;

/**
 * Builds Node's certificate objects ({@link PeerCertificate}) from
 * {@link X509Certificate}s: Node's field formats (OpenSSL date text, colon-separated
 * upper-case fingerprints, {@code "DNS:a, IP Address:b"}).
 */
final class TlsPeerCertificates {

    private static final String[] MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec" };

    private static final Map<String, String> ATTRIBUTES = Map.ofEntries(Map.entry("2.5.4.3", "CN"),
            Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"), Map.entry("2.5.4.8", "ST"),
            Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.17", "postalCode"), Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.65", "pseudonym"), Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"), Map.entry("0.9.2342.19200300.100.1.1", "UID"));

    /** Curve OID to {ASN.1 name, NIST name or null}. */
    private static final Map<String, String[]> CURVES = Map.of("1.2.840.10045.3.1.7",
            new String[] { "prime256v1", "P-256" }, "1.3.132.0.34", new String[] { "secp384r1", "P-384" },
            "1.3.132.0.35", new String[] { "secp521r1", "P-521" }, "1.3.132.0.10", new String[] { "secp256k1", null },
            "1.2.840.10045.3.1.1", new String[] { "prime192v1", "P-192" }, "1.3.132.0.33",
            new String[] { "secp224r1", "P-224" });

    private static final Map<String, String> ACCESS_METHODS = Map.of("1.3.6.1.5.5.7.48.1", "OCSP", "1.3.6.1.5.5.7.48.2",
            "CA Issuers");

    private TlsPeerCertificates() {
    }

    /**
     * Describes one certificate.
     * @param certificate the certificate
     * @return Node's object for it, without {@code issuerCertificate}
     */
    static PeerCertificate of(X509Certificate certificate) {
        return build(certificate, null);
    }

    /**
     * Describes a verified chain, each certificate pointing to its issuer (Node's
     * {@code detailed} form); the root's {@code issuerCertificate} is null.
     * @param chain leaf first
     * @return the leaf's object
     */
    static PeerCertificate detailed(List<X509Certificate> chain) {
        PeerCertificate issuer = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            issuer = build(chain.get(i), issuer);
        }
        if (issuer == null) {
            throw new IllegalArgumentException("empty chain");
        }
        return issuer;
    }

    private static PeerCertificate build(X509Certificate certificate, @Nullable PeerCertificate issuer) {
        byte[] raw = encoded(certificate);
        PublicKey key = certificate.getPublicKey();
        String modulus = null;
        String exponent = null;
        String asn1Curve = null;
        String nistCurve = null;
        byte[] pubkey = key.getEncoded();
        int bits = 0;
        if (key instanceof RSAPublicKey rsa) {
            modulus = rsa.getModulus().toString(16).toUpperCase(Locale.ROOT);
            exponent = "0x" + rsa.getPublicExponent().toString(16);
            bits = rsa.getModulus().bitLength();
        }
        else if (key instanceof ECPublicKey ec) {
            bits = ec.getParams().getCurve().getField().getFieldSize();
            TlsDer spki = new TlsDer(key.getEncoded()).next(TlsDer.SEQUENCE).reader();
            TlsDer algorithm = spki.next(TlsDer.SEQUENCE).reader();
            algorithm.next(TlsDer.OID);
            if (algorithm.hasMore() && algorithm.peekTag() == TlsDer.OID) {
                String[] names = CURVES.get(algorithm.next(TlsDer.OID).oid());
                if (names != null) {
                    asn1Curve = names[0];
                    nistCurve = names[1];
                }
            }
            pubkey = spki.next(TlsDer.BIT_STRING).bits();
        }
        List<String> extKeyUsage;
        try {
            extKeyUsage = certificate.getExtendedKeyUsage();
        }
        catch (CertificateParsingException ex) {
            extKeyUsage = null;
        }
        return new PeerCertificate(name(certificate.getSubjectX500Principal().getEncoded()),
                name(certificate.getIssuerX500Principal().getEncoded()), subjectAltName(certificate),
                infoAccess(certificate), certificate.getBasicConstraints() != -1, modulus, exponent, bits, pubkey,
                asn1Curve, nistCurve, date(certificate.getNotBefore()), date(certificate.getNotAfter()),
                fingerprint(raw, "SHA-1"), fingerprint(raw, "SHA-256"), fingerprint(raw, "SHA-512"), extKeyUsage,
                serial(certificate.getSerialNumber()), raw, issuer, certificate);
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        }
        catch (CertificateEncodingException ex) {
            throw new IllegalStateException("certificate cannot be encoded", ex);
        }
    }

    /**
     * Returns OpenSSL's date text with a space-padded day, as Node's {@code valid_from}.
     */
    static String date(Date date) {
        ZonedDateTime time = date.toInstant().atZone(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%s %2d %02d:%02d:%02d %d GMT", MONTHS[time.getMonthValue() - 1],
                time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(), time.getYear());
    }

    /** Returns the digest of the DER encoding as colon-separated upper-case hex. */
    static String fingerprint(byte[] der, String algorithm) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String serial(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return (hex.length() % 2 == 0) ? hex : "0" + hex;
    }

    /**
     * Parses a DER Name into Node's attribute map; a repeated attribute's values are
     * joined with newlines.
     */
    static Map<String, String> name(byte[] der) {
        Map<String, String> attributes = new LinkedHashMap<>();
        TlsDer rdns = new TlsDer(der).next(TlsDer.SEQUENCE).reader();
        while (rdns.hasMore()) {
            TlsDer set = rdns.next(TlsDer.SET).reader();
            while (set.hasMore()) {
                TlsDer pair = set.next(TlsDer.SEQUENCE).reader();
                String oid = pair.next(TlsDer.OID).oid();
                TlsDer.Element value = pair.next();
                String key = ATTRIBUTES.getOrDefault(oid, oid);
                attributes.merge(key, text(value), (a, b) -> a + "\n" + b);
            }
        }
        return attributes;
    }

    private static String text(TlsDer.Element value) {
        return switch (value.tag()) {
            case 0x1e -> new String(value.content(), StandardCharsets.UTF_16BE);
            case 0x1c -> new String(value.content(), java.nio.charset.Charset.forName("UTF-32BE"));
            case 0x14 -> new String(value.content(), StandardCharsets.ISO_8859_1);
            default -> new String(value.content(), StandardCharsets.UTF_8);
        };
    }

    /**
     * Returns the SANs as Node's {@code subjectaltname}, or null without the extension.
     */
    static @Nullable String subjectAltName(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        }
        catch (CertificateParsingException ex) {
            return null;
        }
        if (names == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            Object value = name.get(1);
            String prefix = switch (type) {
                case 1 -> "email:";
                case 2 -> "DNS:";
                case 4 -> "DirName:";
                case 6 -> "URI:";
                case 7 -> "IP Address:";
                case 8 -> "Registered ID:";
                default -> "othername:";
            };
            String text = (value instanceof String string) ? string : "<unsupported>";
            if (type == 7) {
                text = text.toUpperCase(Locale.ROOT);
            }
            parts.add(prefix + text);
        }
        return String.join(", ", parts);
    }

    /** Returns DNS SANs and IP SANs (as java.net text) for the host name check. */
    static List<List<String>> dnsAndIpNames(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.get(1) instanceof String value) {
                        if ((Integer) name.get(0) == 2) {
                            dns.add(value);
                        }
                        else if ((Integer) name.get(0) == 7) {
                            ips.add(value);
                        }
                    }
                }
            }
        }
        catch (CertificateParsingException ex) {
            // no usable SANs
        }
        return List.of(dns, ips);
    }

    private static @Nullable Map<String, List<String>> infoAccess(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue("1.3.6.1.5.5.7.1.1");
        if (extension == null) {
            return null;
        }
        try {
            byte[] value = new TlsDer(extension).next(TlsDer.OCTET_STRING).content();
            Map<String, List<String>> access = new LinkedHashMap<>();
            TlsDer descriptions = new TlsDer(value).next(TlsDer.SEQUENCE).reader();
            while (descriptions.hasMore()) {
                TlsDer description = descriptions.next(TlsDer.SEQUENCE).reader();
                String method = description.next(TlsDer.OID).oid();
                TlsDer.Element location = description.next();
                String kind = switch (location.tag()) {
                    case 0x86 -> "URI";
                    case 0x82 -> "DNS";
                    case 0x81 -> "email";
                    default -> "othername";
                };
                String key = ACCESS_METHODS.getOrDefault(method, method) + " - " + kind;
                String text = (location.tag() & 0x20) == 0 ? new String(location.content(), StandardCharsets.US_ASCII)
                        : "<unsupported>";
                access.computeIfAbsent(key, (k) -> new ArrayList<>()).add(text);
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            access.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return copy;
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

}
