package dev.socketconnector;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A certificate as Node's {@code tlsSocket.getPeerCertificate()} describes it, with
 * Node's field names in Java form ({@code valid_from} becomes {@code validFrom}).
 *
 * @param subject the subject's attributes, such as {@code CN -> localhost}, in
 * certificate order
 * @param issuer the issuer's attributes, in certificate order
 * @param subjectaltname the SANs as Node formats them
 * ({@code "DNS:localhost, IP Address:127.0.0.1"}), or null
 * @param infoAccess the Authority Information Access entries
 * ({@code "OCSP - URI" -> [url]}), or null
 * @param ca whether the certificate is a CA (basic constraints)
 * @param modulus the RSA modulus in upper-case hex, or null for other keys
 * @param exponent the RSA public exponent as Node prints it ({@code "0x10001"}), or null
 * @param bits the key size in bits
 * @param pubkey the DER SubjectPublicKeyInfo (RSA) or the raw EC point (EC), or null
 * @param asn1Curve the EC curve's ASN.1 name ({@code "prime256v1"}), or null
 * @param nistCurve the EC curve's NIST name ({@code "P-256"}), or null
 * @param validFrom the start of validity in Node's text form
 * ({@code "Sep  6 01:14:24 2026 GMT"})
 * @param validTo the end of validity in Node's text form
 * @param fingerprint the SHA-1 fingerprint, colon-separated upper-case hex
 * @param fingerprint256 the SHA-256 fingerprint, colon-separated upper-case hex
 * @param fingerprint512 the SHA-512 fingerprint, colon-separated upper-case hex
 * @param extKeyUsage the extended key usage OIDs, or null when the extension is absent
 * @param serialNumber the serial number in upper-case hex
 * @param raw the DER encoding
 * @param issuerCertificate the issuer's certificate (only from
 * {@code getPeerCertificate(true)}), or null; null for a self-signed root (where Node's
 * refers to itself, which a record cannot)
 * @param x509 the certificate itself
 */
public record PeerCertificate(Map<String, String> subject, Map<String, String> issuer, @Nullable String subjectaltname,
        @Nullable Map<String, List<String>> infoAccess, boolean ca, @Nullable String modulus, @Nullable String exponent,
        int bits, byte @Nullable [] pubkey, @Nullable String asn1Curve, @Nullable String nistCurve, String validFrom,
        String validTo, String fingerprint, String fingerprint256, String fingerprint512,
        @Nullable List<String> extKeyUsage, String serialNumber, byte[] raw,
        @Nullable PeerCertificate issuerCertificate, X509Certificate x509) {

    /**
     * Creates the record, copying the maps, lists and arrays so the value is immutable.
     * @param subject the subject's attributes, such as {@code CN -> localhost}, in
     * certificate order
     * @param issuer the issuer's attributes, in certificate order
     * @param subjectaltname the SANs as Node formats them
     * ({@code "DNS:localhost, IP Address:127.0.0.1"}), or null
     * @param infoAccess the Authority Information Access entries
     * ({@code "OCSP - URI" -> [url]}), or null
     * @param ca whether the certificate is a CA (basic constraints)
     * @param modulus the RSA modulus in upper-case hex, or null for other keys
     * @param exponent the RSA public exponent as Node prints it ({@code "0x10001"}), or
     * null
     * @param bits the key size in bits
     * @param pubkey the DER SubjectPublicKeyInfo (RSA) or the raw EC point (EC), or null
     * @param asn1Curve the EC curve's ASN.1 name ({@code "prime256v1"}), or null
     * @param nistCurve the EC curve's NIST name ({@code "P-256"}), or null
     * @param validFrom the start of validity in Node's text form
     * ({@code "Sep  6 01:14:24 2026 GMT"})
     * @param validTo the end of validity in Node's text form
     * @param fingerprint the SHA-1 fingerprint, colon-separated upper-case hex
     * @param fingerprint256 the SHA-256 fingerprint, colon-separated upper-case hex
     * @param fingerprint512 the SHA-512 fingerprint, colon-separated upper-case hex
     * @param extKeyUsage the extended key usage OIDs, or null when the extension is
     * absent
     * @param serialNumber the serial number in upper-case hex
     * @param raw the DER encoding
     * @param issuerCertificate the issuer's certificate (only from
     * {@code getPeerCertificate(true)}), or null; null for a self-signed root (where
     * Node's refers to itself, which a record cannot)
     * @param x509 the certificate itself
     */
    public PeerCertificate {
        subject = Collections.unmodifiableMap(new LinkedHashMap<>(subject));
        issuer = Collections.unmodifiableMap(new LinkedHashMap<>(issuer));
        infoAccess = (infoAccess != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(infoAccess)) : null;
        pubkey = (pubkey != null) ? pubkey.clone() : null;
        extKeyUsage = (extKeyUsage != null) ? List.copyOf(extKeyUsage) : null;
        raw = raw.clone();
        Objects.requireNonNull(x509, "x509");
    }

    /**
     * {@return a copy of the public key bytes, or null}
     */
    @Override
    public byte @Nullable [] pubkey() {
        return (this.pubkey != null) ? this.pubkey.clone() : null;
    }

    /**
     * {@return a copy of the DER encoding}
     */
    @Override
    public byte[] raw() {
        return this.raw.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof PeerCertificate that && Arrays.equals(this.raw, that.raw)
                && Objects.equals(this.issuerCertificate, that.issuerCertificate);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(this.raw);
    }

    @Override
    public String toString() {
        return "PeerCertificate[subject=" + this.subject + ", issuer=" + this.issuer + ", serialNumber="
                + this.serialNumber + ", validTo=" + this.validTo + ", fingerprint256=" + this.fingerprint256 + "]";
    }
}
