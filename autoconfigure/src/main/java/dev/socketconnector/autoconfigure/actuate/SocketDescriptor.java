package dev.socketconnector.autoconfigure.actuate;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.Socket;
import org.jspecify.annotations.Nullable;

/**
 * One open socket as the {@code sockets} endpoint shows it: identity, addresses, state,
 * byte counts and TLS summary. Never the socket's {@code data()}, certificates' keys or
 * keying material.
 *
 * @param id the socket's id, unique within the connector
 * @param endpoint the endpoint name, or null for a socket opened from options
 * @param localAddress the local IP address as text, or null for a unix socket
 * @param localPort the local port, or -1 for a unix socket
 * @param remoteAddress the remote IP address as text, or null for a unix socket
 * @param remotePort the remote port, or -1 for a unix socket
 * @param readyState the {@link dev.socketconnector.ReadyState} value, such as
 * {@code "open"}
 * @param bytesWritten bytes accepted by {@code write} and {@code end} so far
 * @param bytesRead bytes delivered to {@code data} so far
 * @param tls the TLS summary, or null on a plain socket
 * @param openedAt when the socket opened
 */
// null members are written as null (the shape is fixed), whatever the mapper's default
// inclusion
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SocketDescriptor(String id, @Nullable String endpoint, @Nullable String localAddress, int localPort,
        @Nullable String remoteAddress, int remotePort, String readyState, long bytesWritten, long bytesRead,
        @Nullable TlsDescriptor tls, @Nullable Instant openedAt) {

    /**
     * Describes a socket as it is now.
     * @param socket the socket
     * @return its descriptor
     */
    public static SocketDescriptor of(Socket<?> socket) {
        return new SocketDescriptor(socket.id(), socket.endpoint(), socket.localAddress(), socket.localPort(),
                socket.remoteAddress(), socket.remotePort(), socket.readyState().value(), socket.bytesWritten(),
                socket.bytesRead(), TlsDescriptor.of(socket), socket.openedAt());
    }

    /**
     * The TLS summary of a socket.
     *
     * @param version the negotiated protocol, such as {@code "TLSv1.3"}
     * @param cipher the negotiated cipher suite's OpenSSL name (its IANA name when the
     * provider has no other)
     * @param authorized whether the peer's certificate was verified
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TlsDescriptor(@Nullable String version, @Nullable String cipher, boolean authorized) {

        /**
         * Describes a socket's TLS session.
         * @param socket the socket
         * @return the summary, or null on a plain socket or before the handshake
         */
        public static @Nullable TlsDescriptor of(Socket<?> socket) {
            String version = read(socket::getTLSVersion);
            CipherNameAndProtocol cipher = read(socket::getCipher);
            if (version == null && cipher == null) {
                return null;
            }
            String name = (cipher != null) ? ((cipher.name() != null) ? cipher.name() : cipher.standardName()) : null;
            return new TlsDescriptor(version, name, socket.authorized());
        }

        /**
         * A member the TLS provider cannot supply throws; the endpoint shows null
         * instead.
         */
        private static <T> @Nullable T read(java.util.function.Supplier<@Nullable T> member) {
            try {
                return member.get();
            }
            catch (UnsupportedOperationException ex) {
                return null;
            }
        }
    }
}
