package dev.socketconnector.internal.tls;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;

import dev.socketconnector.TlsProvider;
import org.jspecify.annotations.Nullable;

/**
 * {@code Socket.exportKeyingMaterial}: TLS 1.3 and 1.2 exporters over BoringSSL's
 * secrets, or the JDK's exporter where Java has one. Runs on the calling thread; reads
 * only the published snapshot and the secrets.
 */
final class TlsExporter {

    private static final @Nullable Method JDK_EXPORTER = exporterMethod();

    private TlsExporter() {
    }

    /**
     * Exports keying material (RFC 5705 / RFC 8446 7.5) for
     * {@code Socket.exportKeyingMaterial}: from BoringSSL's secrets when the natives
     * supplied them, else through the JDK's exporter (Java 25+).
     * @param taken the handshake's snapshot, or null before it completed
     * @param disposed whether the connection is closed (its secrets wiped)
     * @param secrets the connection's secrets
     * @param provider the provider, for messages
     * @param length the number of bytes
     * @param label the label
     * @param context the context, or null for none
     * @return the keying material
     */
    static byte[] export(@Nullable TlsSnapshot taken, boolean disposed, TlsSecrets secrets, TlsProvider provider,
            int length, String label, byte @Nullable [] context) {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive (was " + length + ")");
        }
        if (label == null) {
            throw new IllegalArgumentException("label must not be null");
        }
        if (taken == null || taken.session() == null) {
            throw new IllegalStateException("exportKeyingMaterial: the TLS handshake is not complete");
        }
        if (disposed) {
            throw new IllegalStateException("exportKeyingMaterial: the socket is closed (its secrets are wiped)");
        }
        String suiteName = taken.cipher().standardName();
        if (taken.natives() && suiteName != null) {
            if (taken.tls13()) {
                TlsSecrets.Suite13 suite = TlsSecrets.Suite13.of(suiteName);
                byte[] secret = secrets.get(TlsSecrets.EXPORTER);
                if (suite == null || secret == null) {
                    throw unsupported(provider, "exportKeyingMaterial()",
                            "BoringSSL's key log gave no exporter secret");
                }
                if (length > 255 * ("SHA-384".equals(suite.hash()) ? 48 : 32)) {
                    throw new IllegalArgumentException("length is too large for TLS 1.3 (was " + length + ")");
                }
                try {
                    return TlsSecrets.export13(suite, secret, label, context, length);
                }
                finally {
                    Arrays.fill(secret, (byte) 0);
                }
            }
            byte[] master = secrets.get(TlsSecrets.MASTER);
            if (master == null || taken.clientRandom() == null || taken.serverRandom() == null) {
                throw new IllegalStateException("exportKeyingMaterial: the socket is closed");
            }
            try {
                return TlsSecrets.export12(suiteName, master, taken.clientRandom(), taken.serverRandom(), label,
                        context, length);
            }
            finally {
                Arrays.fill(master, (byte) 0);
            }
        }
        return jdkExport(taken.session(), provider, length, label, context);
    }

    private static byte[] jdkExport(SSLSession session, TlsProvider provider, int length, String label,
            byte @Nullable [] context) {
        if (JDK_EXPORTER == null) {
            throw unsupported(provider, "exportKeyingMaterial()", "Java " + Runtime.version().feature()
                    + " has no exporter API (Java 25 adds ExtendedSSLSession.exportKeyingMaterialData)");
        }
        if (!(session instanceof ExtendedSSLSession)) {
            throw unsupported(provider, "exportKeyingMaterial()", "the session is not an ExtendedSSLSession");
        }
        try {
            return (byte[]) JDK_EXPORTER.invoke(session, label, context, length);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            throw new UnsupportedOperationException("exportKeyingMaterial() failed on the JDK provider: " + cause
                    + " (TLS 1.2 needs the extended master secret extension; the OPENSSL provider"
                    + " (netty-tcnative-boringssl-static) exports every session)", cause);
        }
        catch (IllegalAccessException ex) {
            throw unsupported(provider, "exportKeyingMaterial()", "the JDK exporter is not accessible");
        }
    }

    private static @Nullable Method exporterMethod() {
        try {
            return ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class, byte[].class,
                    int.class);
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }

    /**
     * {@return the error a TLS member the provider cannot answer throws, naming what
     * would answer it}
     * @param provider the provider in use
     * @param member the member
     * @param why the reason
     */
    static UnsupportedOperationException unsupported(TlsProvider provider, String member, String why) {
        return new UnsupportedOperationException(member + " is not available with the " + provider + " TLS provider: "
                + why + ". Use TlsProvider.OPENSSL (netty-tcnative-boringssl-static on the" + " class path)"
                + (member.startsWith("export") ? " or run on Java 25+" : ""));
    }

}
