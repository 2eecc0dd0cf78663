package dev.socketconnector.internal.tls;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What a TLS 1.3 server encrypts that the Socket members need: the CertificateRequest
 * (for {@code getSharedSigalgs()}) and the session ticket ({@code getTLSTicket()}), read
 * by decrypting the records the sniffer kept with the traffic secrets from BoringSSL's
 * key log. State is per connection and loop only, except the ticket, which is published.
 */
final class Tls13ServerRecords {

    private final TlsSniffer sniffer;

    private final TlsSecrets secrets;

    private int serverPhase;

    private long serverSequence;

    private int applicationRecords;

    private byte[] serverMessages = new byte[0];

    private volatile byte @Nullable [] ticket;

    private boolean inspected;

    Tls13ServerRecords(TlsSniffer sniffer, TlsSecrets secrets) {
        this.sniffer = sniffer;
        this.secrets = secrets;
    }

    /**
     * {@return the TLS 1.3 session ticket, or null when none was read (yet)}
     */
    byte @Nullable [] ticket() {
        return this.ticket;
    }

    /**
     * Decrypts the kept server records that the secrets logged so far open: the
     * CertificateRequest, then the ticket. Stops at the ticket, at a KeyUpdate, after 8
     * application records or on a record that does not open; then, once the handshake is
     * over, drops the secrets and kept records it no longer needs.
     * @param suiteName the negotiated suite's standard name, or null when not known yet
     * @param inspected whether the handshake's snapshot was taken
     */
    void decrypt(@Nullable String suiteName, boolean inspected) {
        this.inspected = inspected;
        TlsSecrets.Suite13 suite = (suiteName != null) ? TlsSecrets.Suite13.of(suiteName) : null;
        if (suite == null) {
            finishDecrypting();
            return;
        }
        while (!this.sniffer.encryptedServerRecords.isEmpty()) {
            byte[] secret = this.secrets
                .get((this.serverPhase == 0) ? TlsSecrets.SERVER_HANDSHAKE : TlsSecrets.SERVER_TRAFFIC);
            if (secret == null) {
                if (this.sniffer.isHandshakeDone()) {
                    finishDecrypting();
                }
                return;
            }
            byte[] record = this.sniffer.encryptedServerRecords.remove(0);
            byte[] inner = TlsSecrets.decrypt13(suite, secret, this.serverSequence++, record);
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(record, (byte) 0);
            if (inner == null || inner.length == 0) {
                finishDecrypting();
                return;
            }
            int type = inner[inner.length - 1];
            if (this.serverPhase == 1 && type == TlsWire.APPLICATION_DATA && ++this.applicationRecords > 8) {
                finishDecrypting();
                return;
            }
            if (type == TlsWire.HANDSHAKE && serverMessages(inner)) {
                finishDecrypting();
                return;
            }
            Arrays.fill(inner, (byte) 0);
        }
    }

    /**
     * Reads decrypted server handshake messages; returns true when the ticket was found.
     */
    private boolean serverMessages(byte[] inner) {
        byte[] messages = TlsSecrets.concat(this.serverMessages, Arrays.copyOf(inner, inner.length - 1));
        int start = 0;
        boolean done = false;
        while (messages.length - start >= 4) {
            int length = ((messages[start + 1] & 0xff) << 16) | ((messages[start + 2] & 0xff) << 8)
                    | (messages[start + 3] & 0xff);
            if (messages.length - start < 4 + length) {
                break;
            }
            byte[] message = Arrays.copyOfRange(messages, start, start + 4 + length);
            switch (message[0]) {
                case TlsWire.CERTIFICATE_REQUEST -> this.sniffer.facts.certificateRequest13(message);
                case TlsWire.FINISHED -> {
                    if (this.serverPhase == 0) {
                        this.serverPhase = 1;
                        this.serverSequence = 0;
                    }
                }
                case TlsWire.NEW_SESSION_TICKET -> {
                    this.ticket = TlsHandshakeFacts.Parser.newSessionTicket13(message);
                    done = true;
                }
                case TlsWire.KEY_UPDATE -> done = true;
                default -> {
                }
            }
            start += 4 + length;
        }
        this.serverMessages = Arrays.copyOfRange(messages, start, messages.length);
        return done;
    }

    private void finishDecrypting() {
        if (this.sniffer.isHandshakeDone() || this.inspected) {
            this.secrets.remove(TlsSecrets.SERVER_HANDSHAKE);
            this.secrets.remove(TlsSecrets.SERVER_TRAFFIC);
            this.serverMessages = new byte[0];
            this.sniffer.stopKeepingRecords();
        }
    }

    /** Zeroes the partial messages kept between records (on close). */
    void wipe() {
        Arrays.fill(this.serverMessages, (byte) 0);
    }

}
