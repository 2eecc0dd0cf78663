package dev.socketconnector.autoconfigure.metrics;

import java.security.cert.CertificateException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import dev.socketconnector.SocketConnectException;
import dev.socketconnector.TlsAuthorizationException;

/**
 * The {@code outcome} tag of a connect: a bounded set of values derived from the
 * failure's type and Node error code, never from its message.
 */
enum ConnectOutcome {

    /** The socket opened. */
    SUCCESS,

    /** The peer refused the connection ({@code ECONNREFUSED}). */
    REFUSED,

    /** The connect timeout passed ({@code ETIMEDOUT}). */
    TIMEOUT,

    /** The host name did not resolve ({@code ENOTFOUND}, {@code EAI_*}). */
    DNS,

    /** The TLS handshake or the peer's authorization failed. */
    TLS,

    /** Any other failure, including an exception thrown by the {@code open} callback. */
    ERROR;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** Returns the tag value, such as {@code "refused"}. */
    String value() {
        return this.value;
    }

    /**
     * Classifies a connect failure. A TLS failure anywhere in the cause chain wins, since
     * a handshake that fails is reported with the TLS exception as the cause.
     * @param failure the failure the connector reported
     * @return the outcome, never {@link #SUCCESS}
     */
    static ConnectOutcome of(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (cause instanceof TlsAuthorizationException || cause instanceof SSLException
                    || cause instanceof CertificateException) {
                return TLS;
            }
        }
        if (failure instanceof SocketConnectException connect) {
            String code = connect.code();
            if ("ECONNREFUSED".equals(code)) {
                return REFUSED;
            }
            if ("ETIMEDOUT".equals(code)) {
                return TIMEOUT;
            }
            if ("ENOTFOUND".equals(code) || code.startsWith("EAI_")) {
                return DNS;
            }
        }
        return ERROR;
    }

}
