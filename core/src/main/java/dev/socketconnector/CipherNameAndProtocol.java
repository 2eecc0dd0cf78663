package dev.socketconnector;

import org.jspecify.annotations.Nullable;

/**
 * The negotiated cipher suite, as Node's {@code tlsSocket.getCipher()}.
 *
 * @param name the OpenSSL name, such as {@code "ECDHE-RSA-AES128-GCM-SHA256"} or
 * {@code "TLS_AES_128_GCM_SHA256"}
 * @param standardName the IANA name, such as
 * {@code "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}
 * @param version the lowest protocol version the suite is defined for, as Node reports it
 * ({@code "TLSv1.2"})
 */
public record CipherNameAndProtocol(@Nullable String name, @Nullable String standardName, @Nullable String version) {
}
