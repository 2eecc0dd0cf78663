package dev.socketconnector.internal.tls;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.socketconnector.TlsAuthorizationException;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * Node's host name rules for a peer's certificate: {@code tls.checkServerIdentity} (which
 * {@link TlsVerifier} runs after the chain checks) and whether a host is an IP literal
 * (which gets no SNI). Stateless; thread-safe.
 */
final class TlsHostnames {

    private TlsHostnames() {
    }

    /**
     * Node's {@code tls.checkServerIdentity}: IP literals against IP SANs, names against
     * DNS SANs (one left-most wildcard label), the CN only when the certificate has no
     * DNS SAN.
     * @param host the name or IP literal
     * @param leaf the peer's certificate
     * @return the error, or null when the name matches
     */
    static @Nullable TlsAuthorizationException checkServerIdentity(String host, X509Certificate leaf) {
        List<List<String>> names = TlsPeerCertificates.dnsAndIpNames(leaf);
        List<String> dns = names.get(0);
        List<String> ips = names.get(1);
        String altNames = TlsPeerCertificates.subjectAltName(leaf);
        String hostname = host;
        if (hostname.startsWith("[") && hostname.endsWith("]")) {
            hostname = hostname.substring(1, hostname.length() - 1);
        }
        String reason;
        if (NetUtil.isValidIpV4Address(hostname) || NetUtil.isValidIpV6Address(hostname)) {
            byte[] wanted = NetUtil.createByteArrayFromIpAddressString(hostname);
            for (String ip : ips) {
                if (Arrays.equals(wanted, NetUtil.createByteArrayFromIpAddressString(ip))) {
                    return null;
                }
            }
            reason = "IP: " + hostname + " is not in the cert's list: " + String.join(", ", ips);
        }
        else if (!dns.isEmpty()) {
            for (String pattern : dns) {
                if (matches(hostname, pattern)) {
                    return null;
                }
            }
            reason = "Host: " + hostname + ". is not in the cert's altnames: " + altNames;
        }
        else {
            String cn = TlsPeerCertificates.name(leaf.getSubjectX500Principal().getEncoded()).get("CN");
            if (cn != null && matches(hostname, cn)) {
                return null;
            }
            reason = (cn != null) ? "Host: " + hostname + ". is not cert's CN: " + cn
                    : "Cert does not contain a DNS name";
        }
        return new TlsAuthorizationException("ERR_TLS_CERT_ALTNAME_INVALID",
                "Hostname/IP does not match certificate's altnames: " + reason, null);
    }

    private static boolean matches(String host, String pattern) {
        String name = trimDot(host.toLowerCase(Locale.ROOT));
        String wanted = trimDot(pattern.toLowerCase(Locale.ROOT));
        if (name.equals(wanted)) {
            return true;
        }
        String[] hostParts = name.split("\\.", -1);
        String[] patternParts = wanted.split("\\.", -1);
        if (hostParts.length != patternParts.length || patternParts.length < 3 || !patternParts[0].contains("*")) {
            return false;
        }
        for (int i = 1; i < patternParts.length; i++) {
            if (!patternParts[i].equals(hostParts[i]) || patternParts[i].contains("*")) {
                return false;
            }
        }
        String first = patternParts[0];
        if (first.equals("*")) {
            return !hostParts[0].isEmpty();
        }
        if (first.startsWith("xn--") || first.indexOf('*') != first.lastIndexOf('*')) {
            return false;
        }
        int star = first.indexOf('*');
        String prefix = first.substring(0, star);
        String suffix = first.substring(star + 1);
        return hostParts[0].length() >= prefix.length() + suffix.length() && hostParts[0].startsWith(prefix)
                && hostParts[0].endsWith(suffix);
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    static boolean isIpLiteral(String host) {
        String hostname = host;
        if (hostname.startsWith("[") && hostname.endsWith("]")) {
            hostname = hostname.substring(1, hostname.length() - 1);
        }
        return NetUtil.isValidIpV4Address(hostname) || NetUtil.isValidIpV6Address(hostname);
    }

}
