package dev.socketconnector.internal.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import dev.socketconnector.TlsAuthorizationException;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a peer's certificate chain and name as OpenSSL does for a TLS server at
 * security level 1 (Node's default) and names the failure with Node's code
 * ({@code DEPTH_ZERO_SELF_SIGNED_CERT}, ..., {@code INVALID_PURPOSE}, {@code UNSPECIFIED}
 * where Node's table has none, {@code ERR_TLS_CERT_ALTNAME_INVALID}).
 * <p>
 * The name check itself is {@link TlsHostnames#checkServerIdentity}.
 * <p>
 * Called during the handshake by {@link TlsTrustManager} (and after it for a resumed
 * session, whose handshake checks no certificate), or when first asked for a verdict that
 * was deferred ({@link TlsVerdict}), always as of a given instant; results are cached per
 * chain and name for at most a minute. The trust anchors are loaded when a TLS context is
 * built ({@link #loadAnchors()}, the connect() caller's thread: never file I/O on a
 * loop), or else on the first verification; the JDK default trust store is loaded once
 * per JVM and its verifier (and cache) shared. Thread-safe.
 */
final class TlsVerifier {

    private static final int CACHE_SIZE = 256;

    private static final String NAME_CONSTRAINTS = "2.5.29.30";

    /** OpenSSL 3's text for X509_V_ERR_INVALID_PURPOSE. */
    private static final String PURPOSE_TEXT = "unsuitable certificate purpose";

    /**
     * serverAuth, Netscape and Microsoft server gated crypto: what OpenSSL's sslserver
     * purpose accepts.
     */
    private static final Set<String> SERVER_USAGES = Set.of("1.3.6.1.5.5.7.3.1", "2.16.840.1.113730.4.1",
            "1.3.6.1.4.1.311.10.3.3");

    /** md2, md4, md5, sha1 with RSA; DSA and ECDSA with SHA-1. */
    private static final Set<String> WEAK_SIGNATURE_OIDS = Set.of("1.2.840.113549.1.1.2", "1.2.840.113549.1.1.3",
            "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.10040.4.3", "1.2.840.10045.4.1", "1.3.14.3.2.29");

    /** Where the trust anchors come from; called once. */
    private final Supplier<List<X509Certificate>> source;

    /** The trust anchors once loaded; guarded by this for the load. */
    private volatile @Nullable Anchors anchors;

    /** Recent verifications by (chain, name); bounded, each kept for at most a minute. */
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();

    private TlsVerifier(Supplier<List<X509Certificate>> source) {
        this.source = source;
    }

    /**
     * The trust anchors, and the same by subject: finding an issuer is a lookup, not a
     * scan of the whole trust store.
     */
    private record Anchors(Set<X509Certificate> all, Map<X500Principal, List<X509Certificate>> bySubject) {

        static Anchors of(List<X509Certificate> anchors) {
            Set<X509Certificate> all = Set.copyOf(anchors);
            Map<X500Principal, List<X509Certificate>> bySubject = new HashMap<>();
            for (X509Certificate anchor : all) {
                bySubject.computeIfAbsent(anchor.getSubjectX500Principal(), (subject) -> new ArrayList<>(1))
                    .add(anchor);
            }
            return new Anchors(all, Map.copyOf(bySubject));
        }
    }

    /**
     * Loads the trust anchors now if not yet done, so a trust store that cannot be read
     * fails the connect that would need it, not a later verification.
     * @throws IllegalStateException when the trust store cannot be loaded
     */
    void loadAnchors() {
        anchors();
    }

    /**
     * Whether the trust anchors were loaded (tests).
     */
    boolean anchorsLoaded() {
        return this.anchors != null;
    }

    private Anchors anchors() {
        Anchors loaded = this.anchors;
        if (loaded == null) {
            synchronized (this) {
                loaded = this.anchors;
                if (loaded == null) {
                    loaded = Anchors.of(this.source.get());
                    this.anchors = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * The outcome.
     *
     * @param error the authorization error, or null
     * @param path the chain from the leaf up to the trust anchor when one was found, else
     * the chain as sent
     */
    record Result(@Nullable TlsAuthorizationException error, List<X509Certificate> path, List<X509Certificate> sent) {

        Result(@Nullable TlsAuthorizationException error, List<X509Certificate> path) {
            this(error, path, List.of());
        }
    }

    /** Returns a verifier trusting the given CAs. */
    static TlsVerifier trusting(List<X509Certificate> ca) {
        List<X509Certificate> anchors = List.copyOf(ca);
        return new TlsVerifier(() -> anchors);
    }

    /**
     * Returns a verifier trusting the issuers a trust manager factory accepts (asked now,
     * so a factory that cannot answer fails the connect that uses it).
     */
    static TlsVerifier trusting(TrustManagerFactory factory) {
        List<X509Certificate> anchors = acceptedIssuers(factory.getTrustManagers());
        return new TlsVerifier(() -> anchors);
    }

    /**
     * Returns the verifier trusting the JDK's default trust store: one per JVM, which
     * loads the trust store on its first verification.
     */
    static TlsVerifier jdkDefault() {
        return JdkDefault.VERIFIER;
    }

    /** Holds the JDK default verifier, made on first use. */
    private static final class JdkDefault {

        static final TlsVerifier VERIFIER = new TlsVerifier(JdkDefault::load);

        private static List<X509Certificate> load() {
            try {
                TrustManagerFactory factory = TrustManagerFactory
                    .getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                return acceptedIssuers(factory.getTrustManagers());
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("the JDK trust store cannot be loaded", ex);
            }
        }

    }

    private static List<X509Certificate> acceptedIssuers(TrustManager[] managers) {
        List<X509Certificate> anchors = new ArrayList<>();
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                anchors.addAll(Arrays.asList(x509.getAcceptedIssuers()));
            }
        }
        return List.copyOf(anchors);
    }

    /**
     * Verifies the chain the peer sent, now, and, when {@code name} is not null, that the
     * leaf is for {@code name}. Never throws.
     * @param sent the peer's chain, leaf first
     * @param name the host name or IP literal to check, or null to skip the check
     * @return the outcome
     */
    Result verify(List<X509Certificate> sent, @Nullable String name) {
        return verify(sent, name, System.currentTimeMillis());
    }

    /**
     * Verifies the chain the peer sent as of {@code atMillis} (validity dates are checked
     * against that instant) and, when {@code name} is not null, that the leaf is for
     * {@code name}. Never throws (a trust store that cannot be loaded is reported as the
     * verification's error).
     * @param sent the peer's chain, leaf first
     * @param name the host name or IP literal to check, or null to skip the check
     * @param atMillis the instant to verify at, in epoch milliseconds
     * @return the outcome
     */
    Result verify(List<X509Certificate> sent, @Nullable String name, long atMillis) {
        if (sent.isEmpty()) {
            return withSent(check(sent, name, atMillis), sent);
        }
        // the same chain and name verify the same way: reconnects to one server skip the
        // path building and signature checks (a result holds for a minute at most after
        // the instant it was reached, and never across a certificate's validity edge)
        CacheKey key = new CacheKey(List.copyOf(sent), name);
        Cached cached = this.cache.get(key);
        if (cached != null && cached.fromMillis <= atMillis && atMillis < cached.untilMillis) {
            TlsAuthorizationException error = cached.result.error();
            // an exception is an object each socket must own: a cached failure is handed
            // out as a copy
            return (error == null) ? cached.result
                    : new Result(
                            new TlsAuthorizationException(error.code(),
                                    Objects.requireNonNullElse(error.getMessage(), error.code()), error.getCause()),
                            cached.result.path(), cached.result.sent());
        }
        Result result = withSent(check(sent, name, atMillis), key.chain());
        if (this.cache.size() >= CACHE_SIZE) {
            this.cache.clear();
        }
        this.cache.put(key, new Cached(result, atMillis, atMillis + cacheTtlMillis(sent, atMillis)));
        return result;
    }

    private static Result withSent(Result result, List<X509Certificate> sent) {
        return new Result(result.error(), result.path(), List.copyOf(sent));
    }

    /**
     * How long a result may be reused: at most a minute, and never past a certificate's
     * validity edge.
     */
    private static long cacheTtlMillis(List<X509Certificate> sent, long nowMillis) {
        long ttl = TimeUnit.MINUTES.toMillis(1);
        for (X509Certificate certificate : sent) {
            long untilEnd = certificate.getNotAfter().getTime() - nowMillis;
            long untilStart = certificate.getNotBefore().getTime() - nowMillis;
            ttl = Math.min(ttl, Math.max(0, untilEnd));
            if (untilStart > 0) {
                ttl = Math.min(ttl, untilStart);
            }
        }
        return ttl;
    }

    private Result check(List<X509Certificate> sent, @Nullable String name, long atMillis) {
        if (sent.isEmpty()) {
            return new Result(error("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"), sent);
        }
        try {
            Anchors trust = anchors();
            List<X509Certificate> path = new ArrayList<>();
            X509Certificate anchor = null;
            X509Certificate current = sent.get(0);
            Set<X509Certificate> seen = new HashSet<>();
            while (current != null && seen.add(current)) {
                path.add(current);
                if (trust.all().contains(current)) {
                    anchor = current;
                    break;
                }
                X509Certificate trusted = issuerOf(current,
                        trust.bySubject().getOrDefault(current.getIssuerX500Principal(), List.of()));
                if (trusted != null) {
                    anchor = trusted;
                    if (!trusted.equals(current)) {
                        path.add(trusted);
                    }
                    break;
                }
                if (selfSigned(current)) {
                    break;
                }
                current = issuerOf(current, sent);
            }
            TlsAuthorizationException error = null;
            if (anchor == null) {
                X509Certificate top = path.get(path.size() - 1);
                if (selfSigned(top)) {
                    error = (path.size() == 1) ? error("DEPTH_ZERO_SELF_SIGNED_CERT", "self signed certificate")
                            : error("SELF_SIGNED_CERT_IN_CHAIN", "self signed certificate in certificate chain");
                }
                else if (path.size() == 1) {
                    error = error("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate");
                }
                else {
                    error = error("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate");
                }
            }
            if (error == null) {
                error = validity(path, atMillis);
            }
            if (error == null && anchor != null) {
                error = purpose(path, anchor);
            }
            if (error == null && anchor != null) {
                error = signatureLevel(path, anchor);
            }
            if (error == null && anchor != null) {
                error = pkix(path, anchor, atMillis);
            }
            if (error == null && name != null) {
                error = TlsHostnames.checkServerIdentity(name, sent.get(0));
            }
            return new Result(error, List.copyOf(path));
        }
        catch (RuntimeException ex) {
            return new Result(new TlsAuthorizationException("UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                    "unable to verify the first certificate", ex), sent);
        }
    }

    private static @Nullable TlsAuthorizationException validity(List<X509Certificate> path, long atMillis) {
        Date now = new Date(atMillis);
        for (X509Certificate certificate : path) {
            try {
                certificate.checkValidity(now);
            }
            catch (CertificateExpiredException ex) {
                return error("CERT_HAS_EXPIRED", "certificate has expired");
            }
            catch (CertificateNotYetValidException ex) {
                return error("CERT_NOT_YET_VALID", "certificate is not yet valid");
            }
        }
        return null;
    }

    /**
     * Checks what the walk does not (basic constraints, key usage, path length, name
     * constraints) with the JDK's PKIX. A trust anchor with name constraints stays in the
     * path, so its constraints bind the certificates below it as OpenSSL enforces them
     * (the JDK ignores the constraints of a bare anchor).
     */
    private static @Nullable TlsAuthorizationException pkix(List<X509Certificate> path, X509Certificate anchor,
            long atMillis) {
        List<X509Certificate> certificates = new ArrayList<>(path);
        if (anchor.getExtensionValue(NAME_CONSTRAINTS) == null || !selfSigned(anchor)) {
            certificates.remove(anchor);
        }
        if (certificates.isEmpty() || (certificates.size() == 1 && certificates.get(0).equals(anchor))) {
            return null;
        }
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(new Date(atMillis));
            CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(certificates), parameters);
            return null;
        }
        catch (CertPathValidatorException ex) {
            CertPathValidatorException.Reason reason = ex.getReason();
            if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                return error("CERT_HAS_EXPIRED", "certificate has expired");
            }
            if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return error("CERT_NOT_YET_VALID", "certificate is not yet valid");
            }
            if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                return error("CERT_SIGNATURE_FAILURE", "certificate signature failure");
            }
            if (reason == PKIXReason.NOT_CA_CERT) {
                return error("INVALID_CA", "invalid CA certificate");
            }
            if (reason == PKIXReason.PATH_TOO_LONG) {
                return error("PATH_LENGTH_EXCEEDED", "path length constraint exceeded");
            }
            if (reason == PKIXReason.INVALID_KEY_USAGE) {
                return error("INVALID_PURPOSE", PURPOSE_TEXT);
            }
            if (reason == PKIXReason.INVALID_NAME
                    || String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT).contains("name constraints")) {
                // Node's X509ErrorCode has no entry for X509_V_ERR_PERMITTED_VIOLATION:
                // it reports UNSPECIFIED
                // with OpenSSL's reason text
                return new TlsAuthorizationException("UNSPECIFIED", "permitted subtree violation", ex);
            }
            return new TlsAuthorizationException("UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                    "unable to verify the first certificate", ex);
        }
        catch (GeneralSecurityException ex) {
            return new TlsAuthorizationException("UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                    "unable to verify the first certificate", ex);
        }
    }

    /**
     * OpenSSL's {@code sslserver} purpose ({@code check_purpose_ssl_server}): a leaf with
     * an extended key usage must list serverAuth (or a server-gated-crypto OID), a leaf
     * with a key usage must allow digitalSignature, keyEncipherment or keyAgreement; a CA
     * below the anchor with an extended key usage must list serverAuth.
     */
    private static @Nullable TlsAuthorizationException purpose(List<X509Certificate> path, X509Certificate anchor) {
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            if (i > 0 && certificate.equals(anchor)) {
                break;
            }
            List<String> extended;
            try {
                extended = certificate.getExtendedKeyUsage();
            }
            catch (java.security.cert.CertificateParsingException ex) {
                return new TlsAuthorizationException("INVALID_PURPOSE", PURPOSE_TEXT, ex);
            }
            if (extended != null && extended.stream().noneMatch(SERVER_USAGES::contains)) {
                return error("INVALID_PURPOSE", PURPOSE_TEXT);
            }
            boolean[] usage = certificate.getKeyUsage();
            if (i == 0 && usage != null && !(bit(usage, 0) || bit(usage, 2) || bit(usage, 4))) {
                return error("INVALID_PURPOSE", PURPOSE_TEXT);
            }
        }
        return null;
    }

    private static boolean bit(boolean[] bits, int index) {
        return index < bits.length && bits[index];
    }

    /**
     * OpenSSL's security level 1 (Node's default) for certificate signatures: a signature
     * made with SHA-1, MD5, MD4 or MD2 (below 80 bits of security) is refused on every
     * certificate of the path but a self-signed trust anchor, whose signature is never
     * checked.
     */
    private static @Nullable TlsAuthorizationException signatureLevel(List<X509Certificate> path,
            X509Certificate anchor) {
        for (X509Certificate certificate : path) {
            if (certificate.equals(anchor) && selfSigned(anchor)) {
                continue;
            }
            String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
            String oid = certificate.getSigAlgOID();
            if (algorithm.startsWith("SHA1") || algorithm.startsWith("SHA-1") || algorithm.startsWith("MD")
                    || WEAK_SIGNATURE_OIDS.contains(oid)) {
                // Node's X509ErrorCode has no entry for X509_V_ERR_CA_MD_TOO_WEAK: it
                // reports UNSPECIFIED
                return error("UNSPECIFIED", "CA signature digest algorithm too weak");
            }
        }
        return null;
    }

    private static @Nullable X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && signedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean selfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                && signedBy(certificate, certificate);
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            return false;
        }
    }

    private static TlsAuthorizationException error(String code, String message) {
        return new TlsAuthorizationException(code, message, null);
    }

    private record CacheKey(List<X509Certificate> chain, @Nullable String name) {
    }

    /**
     * A result, valid for instants from {@code fromMillis} until before
     * {@code untilMillis}.
     */
    private record Cached(Result result, long fromMillis, long untilMillis) {
    }

}
