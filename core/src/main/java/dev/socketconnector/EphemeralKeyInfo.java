package dev.socketconnector;

import org.jspecify.annotations.Nullable;

/**
 * The key exchange of the handshake, as Node's {@code tlsSocket.getEphemeralKeyInfo()}.
 * <p>
 * Every field is {@code null} when there was no ephemeral key exchange (Node's
 * {@code {}}), for example on a resumed TLS 1.2 session.
 *
 * @param type {@code "ECDH"} or {@code "DH"}
 * @param name the group, such as {@code "X25519"} or {@code "prime256v1"}; null for DH
 * @param size the key size in bits, such as 253 for X25519
 */
public record EphemeralKeyInfo(@Nullable String type, @Nullable String name, @Nullable Integer size) {

    /** The value for a handshake with no ephemeral key exchange. */
    public static final EphemeralKeyInfo NONE = new EphemeralKeyInfo(null, null, null);

}
