package dev.socketconnector.internal.tls;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.TlsAuthorizationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TlsHostnames}'s Node-style name check ({@code tls.checkServerIdentity}):
 * wildcards, IP SANs in every spelling, the CN fallback, and the messages.
 */
class TlsVerifierTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private static X509Certificate wildcard;

    private static X509Certificate cnOnly;

    @BeforeAll
    static void certificates() throws Exception {
        PKI.openssl("req", "-x509", "-new", "-key", "server.key", "-subj", "/CN=wild", "-days", "2", "-addext",
                "subjectAltName=DNS:*.example.com,DNS:f*o.example.net,IP:::1", "-out", "verifier-wildcard.crt");
        PKI.openssl("req", "-x509", "-new", "-key", "server.key", "-subj", "/CN=only.example", "-days", "2", "-out",
                "verifier-cn.crt");
        wildcard = read("verifier-wildcard.crt");
        cnOnly = read("verifier-cn.crt");
    }

    private static X509Certificate read(String name) throws Exception {
        try (InputStream in = Files.newInputStream(PKI.file(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "a.example.com", "A.Example.COM", "a.example.com.", "foo.example.net", "fo.example.net",
            "::1", "[::1]", "0:0:0:0:0:0:0:1" })
    void namesNodeAcceptsMatch(String host) {
        assertThat(TlsHostnames.checkServerIdentity(host, wildcard)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "example.com", "a.b.example.com", "bar.example.net", "127.0.0.1", "::2" })
    void namesNodeRefusesDoNotMatch(String host) {
        TlsAuthorizationException error = TlsHostnames.checkServerIdentity(host, wildcard);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo("ERR_TLS_CERT_ALTNAME_INVALID");
    }

    @Test
    void ipMismatchMessageListsTheCertificatesIps() {
        assertThat(TlsHostnames.checkServerIdentity("127.0.0.1", wildcard).getMessage())
            .isEqualTo("Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: "
                    + "0:0:0:0:0:0:0:1");
    }

    @Test
    void commonNameIsUsedOnlyWithoutDnsSans() {
        assertThat(TlsHostnames.checkServerIdentity("only.example", cnOnly)).isNull();
        assertThat(TlsHostnames.checkServerIdentity("other.example", cnOnly).getMessage())
            .isEqualTo("Hostname/IP does not match certificate's altnames: Host: other.example. is not cert's CN: "
                    + "only.example");
        assertThat(TlsHostnames.checkServerIdentity("wild", wildcard)).isNotNull();
    }

    @Test
    void selfSignedLeafTrustedDirectlyIsAuthorized() {
        TlsVerifier.Result result = TlsVerifier.trusting(List.of(cnOnly)).verify(List.of(cnOnly), "only.example");
        assertThat(result.error()).isNull();
        assertThat(result.path()).containsExactly(cnOnly);
    }

    @org.junit.jupiter.api.Test
    void verificationsAreReusedAndFailuresHandedOutAsCopies() {
        TlsVerifier trustingWildcard = TlsVerifier.trusting(java.util.List.of(wildcard));
        TlsVerifier.Result first = trustingWildcard.verify(java.util.List.of(wildcard), "a.example.com");
        assertThat(first.error()).isNull();
        assertThat(trustingWildcard.verify(java.util.List.of(wildcard), "a.example.com")).isSameAs(first);
        TlsVerifier.Result wrongName = trustingWildcard.verify(java.util.List.of(wildcard), "example.org");
        assertThat(wrongName.error()).isNotNull();
        TlsVerifier.Result again = trustingWildcard.verify(java.util.List.of(wildcard), "example.org");
        assertThat(again.error()).isNotSameAs(wrongName.error());
        assertThat(again.error().code()).isEqualTo("ERR_TLS_CERT_ALTNAME_INVALID");
    }

    /**
     * OpenSSL's verdicts ({@code openssl verify -purpose sslserver -auth_level 1}) with
     * Node's codes: wrong purpose, weak signatures, a name outside a trusted root's name
     * constraints; a name inside them passes.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "eku-client.crt, ca.crt, 127.0.0.1, INVALID_PURPOSE, unsuitable certificate purpose",
            "eku-codesign.crt, ca.crt, 127.0.0.1, INVALID_PURPOSE, unsuitable certificate purpose",
            "ku-certsign.crt, ca.crt, 127.0.0.1, INVALID_PURPOSE, unsuitable certificate purpose",
            "sha1.crt, ca.crt, 127.0.0.1, UNSPECIFIED, CA signature digest algorithm too weak",
            "md5.crt, rsa-ca.crt, 127.0.0.1, UNSPECIFIED, CA signature digest algorithm too weak",
            "nc-evil.crt, nc-ca.crt, evil.test, UNSPECIFIED, permitted subtree violation",
            "nc-good.crt, nc-ca.crt, good.test, , ", "server.crt, ca.crt, 127.0.0.1, , " })
    void verdictsFollowOpenSsl(String cert, String ca, String name, String code, String message) throws Exception {
        List<String> verify = List.of("verify", "-purpose", "sslserver", "-auth_level", "1",
                name.equals("127.0.0.1") ? "-verify_ip" : "-verify_hostname", name, "-CAfile", ca, cert);
        TlsVerifier verifier = TlsVerifier.trusting(List.of(read(ca)));
        TlsVerifier.Result result = verifier.verify(List.of(read(cert)), name);
        if (code == null) {
            PKI.openssl(verify.toArray(new String[0]));
            assertThat(result.error()).isNull();
            return;
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PKI.openssl(verify.toArray(new String[0])))
            .as("openssl verify refuses %s", cert)
            .isInstanceOf(IllegalStateException.class);
        assertThat(result.error()).isNotNull();
        assertThat(result.error().code()).isEqualTo(code);
        assertThat(result.error()).hasMessage(message);
        // the cached verdict is the same (and a copy)
        TlsVerifier.Result again = verifier.verify(List.of(read(cert)), name);
        assertThat(again.error().code()).isEqualTo(code);
        assertThat(again.error()).isNotSameAs(result.error());
    }

    /**
     * A verification runs as of a given instant (a deferred verdict is reached as of its
     * handshake), and a cached verdict answers only for instants inside the window it was
     * reached for.
     */
    @Test
    void verdictIsReachedAsOfTheGivenInstantAndTheCacheKeepsToItsWindow() throws Exception {
        TlsVerifier verifier = TlsVerifier.trusting(List.of(read("ca.crt")));
        X509Certificate server = read("server.crt");
        long now = System.currentTimeMillis();
        assertThat(verifier.verify(List.of(server), "127.0.0.1", now).error()).isNull();
        long afterExpiry = server.getNotAfter().getTime() + 1000;
        assertThat(verifier.verify(List.of(server), "127.0.0.1", afterExpiry).error().code())
            .isEqualTo("CERT_HAS_EXPIRED");
        assertThat(verifier.verify(List.of(server), "127.0.0.1", now).error()).as("the same answer for that instant")
            .isNull();
        X509Certificate expired = read("expired.crt");
        assertThat(verifier.verify(List.of(expired), "127.0.0.1", now).error().code()).isEqualTo("CERT_HAS_EXPIRED");
        // in 2020 the leaf was valid and the CA (made today) was not yet
        long in2020 = java.time.Instant.parse("2020-06-01T00:00:00Z").toEpochMilli();
        assertThat(verifier.verify(List.of(expired), "127.0.0.1", in2020).error().code())
            .as("not the verdict cached for now")
            .isEqualTo("CERT_NOT_YET_VALID");
    }

}
