package dev.socketconnector;

import java.security.cert.CertificateException;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Why a TLS peer was not authorized, with Node's {@link #code() code}:
 * {@code DEPTH_ZERO_SELF_SIGNED_CERT}, {@code SELF_SIGNED_CERT_IN_CHAIN},
 * {@code UNABLE_TO_VERIFY_LEAF_SIGNATURE}, {@code UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
 * {@code CERT_HAS_EXPIRED}, {@code CERT_NOT_YET_VALID},
 * {@code ERR_TLS_CERT_ALTNAME_INVALID}, or {@code EPROTO} for a protocol failure.
 */
public final class TlsAuthorizationException extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** Node's error code, such as {@code DEPTH_ZERO_SELF_SIGNED_CERT}. */
    private final String code;

    /**
     * Creates the exception.
     * @param code Node's code
     * @param message Node's message, such as {@code "self signed certificate"}
     * @param cause the underlying exception, or null
     */
    public TlsAuthorizationException(String code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * {@return Node's code, such as {@code DEPTH_ZERO_SELF_SIGNED_CERT}}
     */
    public String code() {
        return this.code;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + this.code + ": " + getMessage();
    }

}
