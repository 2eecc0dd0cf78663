package dev.socketconnector.internal.tls;

/**
 * The TLS code points this package reads on the wire (RFC 8446, RFC 5246, RFC 8422), by
 * name.
 */
final class TlsWire {

    /** Record type change_cipher_spec. */
    static final int CHANGE_CIPHER_SPEC = 20;

    /** Record type handshake. */
    static final int HANDSHAKE = 22;

    /** Record type application_data (and every encrypted TLS 1.3 record). */
    static final int APPLICATION_DATA = 23;

    /** Handshake type client_hello. */
    static final int CLIENT_HELLO = 1;

    /** Handshake type server_hello. */
    static final int SERVER_HELLO = 2;

    /** Handshake type new_session_ticket. */
    static final int NEW_SESSION_TICKET = 4;

    /** Handshake type certificate. */
    static final int CERTIFICATE = 11;

    /** Handshake type server_key_exchange (TLS 1.2). */
    static final int SERVER_KEY_EXCHANGE = 12;

    /** Handshake type certificate_request. */
    static final int CERTIFICATE_REQUEST = 13;

    /** Handshake type finished. */
    static final int FINISHED = 20;

    /** Handshake type key_update (TLS 1.3). */
    static final int KEY_UPDATE = 24;

    /** Extension signature_algorithms. */
    static final int EXT_SIGNATURE_ALGORITHMS = 13;

    /** Extension pre_shared_key. */
    static final int EXT_PRE_SHARED_KEY = 41;

    /** Extension supported_versions. */
    static final int EXT_SUPPORTED_VERSIONS = 43;

    /** Extension key_share. */
    static final int EXT_KEY_SHARE = 51;

    /** The TLS 1.3 version in supported_versions. */
    static final int TLS13 = 0x0304;

    /** ECCurveType named_curve in a TLS 1.2 ServerKeyExchange. */
    static final int NAMED_CURVE = 3;

    private TlsWire() {
    }

}
