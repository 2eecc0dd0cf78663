package dev.socketconnector.internal.tls;

import java.nio.channels.ClosedChannelException;

import dev.socketconnector.TlsAuthorizationException;
import io.netty.handler.codec.DecoderException;
import org.jspecify.annotations.Nullable;

/**
 * Maps a failed TLS handshake to the {@link TlsAuthorizationException} the connect fails
 * with, with Node's code.
 */
final class TlsHandshakeErrors {

    private TlsHandshakeErrors() {
    }

    /**
     * {@return the error a failed handshake fails the connect with, with Node's code}
     * @param cause what the engine or the channel reported
     * @param verification the trust manager's verdict in this handshake, or null when
     * none ran
     * @param rejectUnauthorized whether an unverified server is refused
     */
    static TlsAuthorizationException of(Throwable cause, TlsVerifier.@Nullable Result verification,
            boolean rejectUnauthorized) {
        Throwable reason = cause;
        while ((reason instanceof DecoderException) && reason.getCause() != null) {
            reason = reason.getCause();
        }
        if (reason instanceof TlsAuthorizationException authorization) {
            return authorization;
        }
        TlsVerifier.Result refused = verification;
        if (refused != null && refused.error() != null && rejectUnauthorized) {
            // the trust manager refused the server: the engine's alert exception hides
            // the reason
            return refused.error();
        }
        String message = String.valueOf(reason.getMessage());
        if (message.contains("KEY_USAGE_BIT_INCORRECT")) {
            // BoringSSL checks the leaf's key usage itself, before the verify callback,
            // whatever
            // rejectUnauthorized says: OpenSSL's verdict for such a certificate is the
            // sslserver purpose
            return new TlsAuthorizationException("INVALID_PURPOSE", "unsuitable certificate purpose", cause);
        }
        if (reason instanceof ClosedChannelException || message.contains("closed") && message.contains("handshake")) {
            return new TlsAuthorizationException("ECONNRESET",
                    "Client network socket disconnected before secure TLS connection was established", cause);
        }
        return new TlsAuthorizationException("EPROTO", message, cause);
    }

}
