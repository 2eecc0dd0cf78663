package dev.socketconnector.internal.tls;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * What the plaintext handshake messages showed, as the connection reads it once the
 * handshake completes.
 *
 * @param clientRandom the ClientHello random, or null when none was read
 * @param serverRandom the ServerHello random (not a HelloRetryRequest's), or null
 * @param clientSessionId the ClientHello's legacy session id
 * @param serverSessionId the ServerHello's legacy session id
 * @param tls13 whether the ServerHello chose TLS 1.3
 * @param keyShareGroup the TLS 1.3 key share group, or -1
 * @param serverKeyExchangeGroup the TLS 1.2 ECDHE named group, or -1
 * @param dhBits the TLS 1.2 finite-field DH prime size in bits, or -1
 * @param pskAccepted whether the server accepted a TLS 1.3 pre-shared key (resumption)
 * @param serverCertificate whether the server sent a Certificate message (in plaintext:
 * TLS 1.2)
 * @param clientSigalgs the ClientHello's signature_algorithms
 * @param certificateRequestSigalgs the CertificateRequest's signature_algorithms, or null
 * when none was sent
 * @param ticket12 the TLS 1.2 NewSessionTicket's ticket, or null
 */
record TlsHandshakeFacts(byte @Nullable [] clientRandom, byte @Nullable [] serverRandom, byte[] clientSessionId,
        byte[] serverSessionId, boolean tls13, int keyShareGroup, int serverKeyExchangeGroup, int dhBits,
        boolean pskAccepted, boolean serverCertificate, List<Integer> clientSigalgs,
        @Nullable List<Integer> certificateRequestSigalgs, byte @Nullable [] ticket12) {

    /**
     * Whether the session was resumed, as the wire shows it (used when the provider
     * cannot say).
     */
    boolean resumed() {
        return this.tls13 ? this.pskAccepted
                : (this.clientSessionId.length > 0 && Arrays.equals(this.clientSessionId, this.serverSessionId))
                        || !this.serverCertificate;
    }

    /**
     * Parses handshake messages as they pass, one connection's, on its event loop;
     * {@link #facts()} takes the record.
     */
    static final class Parser {

        /** The fixed ServerHello random of a HelloRetryRequest (RFC 8446 4.1.3). */
        private static final byte[] HELLO_RETRY_RANDOM = HexFormat.of()
            .parseHex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

        byte @Nullable [] clientRandom;

        byte @Nullable [] serverRandom;

        byte[] clientSessionId = new byte[0];

        byte[] serverSessionId = new byte[0];

        boolean tls13;

        int keyShareGroup = -1;

        int serverKeyExchangeGroup = -1;

        int dhBits = -1;

        boolean pskAccepted;

        boolean serverCertificate;

        List<Integer> clientSigalgs = List.of();

        @Nullable List<Integer> certificateRequestSigalgs;

        byte @Nullable [] ticket;

        /**
         * {@return what was read so far}
         */
        TlsHandshakeFacts facts() {
            return new TlsHandshakeFacts(this.clientRandom, this.serverRandom, this.clientSessionId,
                    this.serverSessionId, this.tls13, this.keyShareGroup, this.serverKeyExchangeGroup, this.dhBits,
                    this.pskAccepted, this.serverCertificate, this.clientSigalgs, this.certificateRequestSigalgs,
                    this.ticket);
        }

        /**
         * Parses one plaintext handshake message (type, 3-byte length, body) at index
         * {@code offset} of {@code buf}, where it arrived; keeps no reference to the
         * buffer and leaves its indexes alone.
         */
        void message(ByteBuf buf, int offset, int length) {
            TlsReader reader = new TlsReader(buf, offset + 4, offset + length);
            switch (buf.getUnsignedByte(offset)) {
                case TlsWire.CLIENT_HELLO -> clientHello(reader);
                case TlsWire.SERVER_HELLO -> serverHello(reader);
                case TlsWire.NEW_SESSION_TICKET -> this.ticket = newSessionTicket12(reader);
                case TlsWire.CERTIFICATE -> this.serverCertificate = true;
                case TlsWire.SERVER_KEY_EXCHANGE -> serverKeyExchange(reader);
                case TlsWire.CERTIFICATE_REQUEST -> certificateRequest12(reader);
                default -> {
                }
            }
        }

        private void clientHello(TlsReader reader) {
            reader.skip(2);
            this.clientRandom = reader.bytes(32);
            this.clientSessionId = reader.bytes(reader.u8());
            reader.skip(reader.u16());
            reader.skip(reader.u8());
            if (!reader.more()) {
                return;
            }
            TlsReader extensions = reader.sub(reader.u16());
            while (extensions.more()) {
                int type = extensions.u16();
                TlsReader extension = extensions.sub(extensions.u16());
                if (type == TlsWire.EXT_SIGNATURE_ALGORITHMS) {
                    this.clientSigalgs = extension.sub(extension.u16()).u16List();
                }
            }
        }

        private void serverHello(TlsReader reader) {
            reader.skip(2);
            byte[] random = reader.bytes(32);
            boolean retry = Arrays.equals(random, HELLO_RETRY_RANDOM);
            this.serverSessionId = reader.bytes(reader.u8());
            reader.u16();
            reader.skip(1);
            if (!retry) {
                this.serverRandom = random;
            }
            if (!reader.more()) {
                return;
            }
            TlsReader extensions = reader.sub(reader.u16());
            while (extensions.more()) {
                int type = extensions.u16();
                TlsReader extension = extensions.sub(extensions.u16());
                switch (type) {
                    case TlsWire.EXT_SUPPORTED_VERSIONS -> this.tls13 = extension.u16() == TlsWire.TLS13;
                    case TlsWire.EXT_KEY_SHARE -> this.keyShareGroup = extension.u16();
                    case TlsWire.EXT_PRE_SHARED_KEY -> this.pskAccepted = !retry;
                    default -> {
                    }
                }
            }
        }

        private static byte[] newSessionTicket12(TlsReader reader) {
            reader.skip(4);
            return reader.bytes(reader.u16());
        }

        private void serverKeyExchange(TlsReader reader) {
            if (reader.remaining() >= 3 && reader.peek() == TlsWire.NAMED_CURVE) {
                reader.skip(1);
                this.serverKeyExchangeGroup = reader.u16();
            }
            else if (reader.remaining() >= 2) {
                this.dhBits = new BigInteger(1, reader.bytes(reader.u16())).bitLength();
            }
        }

        private void certificateRequest12(TlsReader reader) {
            if (this.tls13) {
                return;
            }
            reader.skip(reader.u8());
            this.certificateRequestSigalgs = reader.sub(reader.u16()).u16List();
        }

        /**
         * Parses a TLS 1.3 CertificateRequest body (context, extensions) for its
         * signature_algorithms.
         */
        void certificateRequest13(byte[] message) {
            TlsReader reader = new TlsReader(message, 4, message.length);
            reader.skip(reader.u8());
            TlsReader extensions = reader.sub(reader.u16());
            List<Integer> sigalgs = List.of();
            while (extensions.more()) {
                int type = extensions.u16();
                TlsReader extension = extensions.sub(extensions.u16());
                if (type == TlsWire.EXT_SIGNATURE_ALGORITHMS) {
                    sigalgs = extension.sub(extension.u16()).u16List();
                }
            }
            this.certificateRequestSigalgs = sigalgs;
        }

        /** Returns the ticket of a TLS 1.3 NewSessionTicket message. */
        static byte[] newSessionTicket13(byte[] message) {
            TlsReader reader = new TlsReader(message, 4, message.length);
            reader.skip(8);
            reader.skip(reader.u8());
            return reader.bytes(reader.u16());
        }

    }
}
