/**
 * TLS for the connector's sockets: contexts per configuration, verification during the
 * handshake with Node's error codes, and the introspection behind {@code Socket}'s TLS
 * members. Never imports the socket package ({@code dev.socketconnector.internal}); the
 * socket code sees TLS only through {@link TlsConnection} and {@link TlsConnections}.
 */
@NullMarked
package dev.socketconnector.internal.tls;

import org.jspecify.annotations.NullMarked;
