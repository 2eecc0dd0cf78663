package dev.socketconnector.internal.tls;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What a TLS 1.3 server encrypts that the Socket members need: the CertificateRequest
 * (for {@code getSharedSigalgs()}) and the session ticket ({@code getTLSTicket()}), read
 * by decrypting the records the sniffer kept with the traffic secrets from BoringSSL's
 * key log.
 * <p>
 * Lazily: the records are decrypted when one of those two members first asks (on the
 * caller's thread), not at every handshake; most connections never ask, and decrypting
 * was a large share of a TLS 1.3 connect's CPU. Until then the server's encrypted
 * handshake records stay kept (a few KB: its certificate chain), and so do the records
 * after it, within bounds. At {@link #LAZY_RECORDS} records nothing more is kept and
 * nothing is decrypted: the first records stay for a getter (the ticket comes right after
 * the handshake) and the sniffer leaves the pipeline (issue 14: decrypting them on the
 * loop cost every long-lived connection JCE work nobody asked for). Past
 * {@link #LAZY_BYTES} bytes (large records: a bulk receiver) they are decrypted on the
 * loop as they come, until the ticket, and dropped, so that no socket holds that much
 * until it closes. Close wipes what is kept; a member that never asked while the socket
 * was open then answers null (as Node's do after close). Every method is synchronized
 * (the loop and a getter's thread may both decrypt).
 */
final class Tls13ServerRecords {

    /**
     * The most server records (handshake and after) kept: those wait for a getter.
     */
    static final int LAZY_RECORDS = 12;

    /** Bytes of kept server records beyond which they are decrypted eagerly. */
    static final int LAZY_BYTES = 32 * 1024;

    private final TlsSniffer sniffer;

    private final TlsSecrets secrets;

    private int serverPhase;

    private long serverSequence;

    private int applicationRecords;

    private byte[] serverMessages = new byte[0];

    private volatile byte @Nullable [] ticket;

    /** Decrypts under the current phase's secret; null until the first record. */
    private TlsSecrets.@Nullable Decryptor13 decryptor;

    /** The phase {@link #decryptor} belongs to (0 handshake, 1 application). */
    private int decryptorPhase = -1;

    private boolean inspected;

    /** Every kept record was decrypted or dropped; nothing more will be kept. */
    private boolean finished;

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
    synchronized void decrypt(@Nullable String suiteName, boolean inspected) {
        this.inspected = inspected;
        TlsSecrets.Suite13 suite = (suiteName != null) ? TlsSecrets.Suite13.of(suiteName) : null;
        if (suite == null) {
            finishDecrypting();
            return;
        }
        while (this.sniffer.hasKeptRecords()) {
            TlsSecrets.Decryptor13 current = decryptor(suite);
            if (current == null) {
                if (this.sniffer.isHandshakeDone()) {
                    finishDecrypting();
                }
                return;
            }
            byte[] record = this.sniffer.takeRecord();
            if (record == null) {
                return;
            }
            byte[] inner = current.decrypt(this.serverSequence++, record);
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
        if (!this.sniffer.isKeeping() && this.sniffer.isHandshakeDone()) {
            // every record that was kept has been read and no more will come: the
            // secrets have nothing left to open
            finishDecrypting();
        }
    }

    /**
     * The decryptor of the current phase, made once per phase from its secret (which is
     * zeroed here); null when the key log has not given that secret yet (or the suite's
     * cipher is missing).
     */
    private TlsSecrets.@Nullable Decryptor13 decryptor(TlsSecrets.Suite13 suite) {
        if (this.decryptor != null && this.decryptorPhase == this.serverPhase) {
            return this.decryptor;
        }
        byte[] secret = this.secrets
            .get((this.serverPhase == 0) ? TlsSecrets.SERVER_HANDSHAKE : TlsSecrets.SERVER_TRAFFIC);
        if (secret == null) {
            return null;
        }
        closeDecryptor();
        try {
            this.decryptor = new TlsSecrets.Decryptor13(suite, secret);
            this.decryptorPhase = this.serverPhase;
            return this.decryptor;
        }
        catch (GeneralSecurityException ex) {
            return null;
        }
        finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private void closeDecryptor() {
        TlsSecrets.Decryptor13 current = this.decryptor;
        if (current != null) {
            current.close();
            this.decryptor = null;
            this.decryptorPhase = -1;
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

    /** Whether {@link #LAZY_RECORDS} records are kept: no more are then. Loop. */
    boolean recordsFull() {
        return this.sniffer.keptRecords() >= LAZY_RECORDS;
    }

    /**
     * Whether the kept records hold more than {@link #LAZY_BYTES} bytes: then they are
     * decrypted as they come. Loop.
     */
    boolean tooManyBytes() {
        return this.sniffer.keptBytes() > LAZY_BYTES;
    }

    /** Whether the server's handshake records were read (its Finished was seen). */
    synchronized boolean handshakeRead() {
        return this.serverPhase == 1;
    }

    /** Whether every record that could hold the ticket was read (or dropped). */
    synchronized boolean finished() {
        return this.finished;
    }

    private void finishDecrypting() {
        closeDecryptor();
        if (this.sniffer.isHandshakeDone() || this.inspected) {
            this.finished = true;
            this.secrets.remove(TlsSecrets.SERVER_HANDSHAKE);
            this.secrets.remove(TlsSecrets.SERVER_TRAFFIC);
            this.serverMessages = new byte[0];
            this.sniffer.stopKeepingRecords();
        }
    }

    /** Zeroes the partial messages kept between records (on close). */
    synchronized void wipe() {
        this.finished = true;
        Arrays.fill(this.serverMessages, (byte) 0);
        closeDecryptor();
    }

}
