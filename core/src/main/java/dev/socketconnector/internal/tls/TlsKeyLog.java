package dev.socketconnector.internal.tls;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.internal.tcnative.KeyLogCallback;
import io.netty.internal.tcnative.SSL;
import org.jspecify.annotations.Nullable;

/**
 * BoringSSL's key log, routed to the connection that owns each {@code SSL*}: the TLS 1.3
 * traffic and exporter secrets that no Java API exposes. Lines are never written
 * anywhere; each goes straight into that connection's {@link TlsSecrets}, and lines for
 * unknown connections are dropped.
 */
final class TlsKeyLog implements KeyLogCallback {

    private static final TlsKeyLog INSTANCE = new TlsKeyLog();

    private static final Map<Long, TlsSecrets> CONNECTIONS = new ConcurrentHashMap<>();

    private TlsKeyLog() {
    }

    /**
     * Installs the key log on an OpenSSL context. tcnative's
     * {@code SSLContext.setKeyLogCallback} takes tcnative's context wrapper, which only
     * Netty's protected {@code ReferenceCountedOpenSslContext.ctx} holds: Netty 4.2.18
     * has no public route to it ({@code context()} and {@code sslCtxPointer()} return the
     * bare {@code SSL_CTX*}, no {@code OpenSslContextOption} sets a key log, the engine's
     * public {@code sslPointer()} is per connection and tcnative has no per-{@code SSL}
     * key log setter, and the context's constructors are package-private, so it cannot be
     * subclassed). Hence the reflective read; when it fails the connection only loses the
     * TLS 1.3 introspection that needs the secrets.
     * @param context the context
     * @return whether the key log is installed (false on a non-BoringSSL build or when
     * the field is hidden)
     */
    static boolean install(SslContext context) {
        if (!(context instanceof ReferenceCountedOpenSslContext)) {
            return false;
        }
        try {
            Field field = ReferenceCountedOpenSslContext.class.getDeclaredField("ctx");
            field.setAccessible(true);
            long pointer = field.getLong(context);
            boolean installed = io.netty.internal.tcnative.SSLContext.setKeyLogCallback(pointer, INSTANCE);
            if (installed) {
                // Offer TLS 1.2 session tickets as Bun and Node do (Netty's OpenSSL
                // client does not by default).
                io.netty.internal.tcnative.SSLContext.clearOptions(pointer, SSL.SSL_OP_NO_TICKET);
            }
            return installed;
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
            return false;
        }
    }

    /** The callback the contexts install (tests feed it lines). */
    static TlsKeyLog instance() {
        return INSTANCE;
    }

    static void register(long ssl, TlsSecrets secrets) {
        CONNECTIONS.put(ssl, secrets);
    }

    static void unregister(long ssl, TlsSecrets secrets) {
        CONNECTIONS.remove(ssl, secrets);
    }

    /** Returns how many connections are registered (what a test checks is back to 0). */
    static int registered() {
        return CONNECTIONS.size();
    }

    @Override
    public void handle(long ssl, byte[] line) {
        try {
            TlsSecrets secrets = CONNECTIONS.get(ssl);
            if (secrets == null) {
                return;
            }
            int first = indexOf(line, 0);
            int second = indexOf(line, first + 1);
            if (first < 0 || second < 0) {
                return;
            }
            // the label is matched where it lies: a line no member uses (the client's
            // traffic secrets) is neither decoded nor kept
            String label = keptLabel(line, first);
            if (label == null) {
                return;
            }
            int end = line.length;
            while (end > second + 1 && (line[end - 1] == '\n' || line[end - 1] == '\r' || line[end - 1] == 0)) {
                end--;
            }
            byte[] secret = parse(line, second + 1, end);
            if (secret != null) {
                secrets.put(label, secret);
            }
        }
        finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    /**
     * Returns the label of {@link TlsSecrets#KEPT} that the line's first {@code length}
     * bytes spell, or null.
     */
    private static @Nullable String keptLabel(byte[] line, int length) {
        for (String label : TlsSecrets.KEPT) {
            if (label.length() == length && spells(line, label)) {
                return label;
            }
        }
        return null;
    }

    private static boolean spells(byte[] line, String label) {
        for (int i = 0; i < label.length(); i++) {
            if (line[i] != label.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of an ASCII hex digit, or -1 ({@code Character.digit} looks Unicode
     * tables up for what BoringSSL writes in lower-case ASCII).
     */
    private static int hexDigit(byte digit) {
        if (digit >= '0' && digit <= '9') {
            return digit - '0';
        }
        if (digit >= 'a' && digit <= 'f') {
            return digit - 'a' + 10;
        }
        if (digit >= 'A' && digit <= 'F') {
            return digit - 'A' + 10;
        }
        return -1;
    }

    private static int indexOf(byte[] line, int from) {
        for (int i = Math.max(from, 0); i < line.length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private static byte @Nullable [] parse(byte[] line, int start, int end) {
        if ((end - start) % 2 != 0) {
            return null;
        }
        byte[] secret = new byte[(end - start) / 2];
        for (int i = 0; i < secret.length; i++) {
            int high = hexDigit(line[start + 2 * i]);
            int low = hexDigit(line[start + 2 * i + 1]);
            if (high < 0 || low < 0) {
                Arrays.fill(secret, (byte) 0);
                return null;
            }
            secret[i] = (byte) ((high << 4) | low);
        }
        return secret;
    }

}
