package dev.socketconnector.internal.tls;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Reads the TLS records between the socket and the {@code SslHandler}, in both directions, without changing
 * them: the plaintext handshake messages (randoms, suite, key share, session reuse, sigalgs, the TLS 1.2
 * ticket and transcript) and, for TLS 1.3, copies of the first encrypted server records so the key log can
 * decrypt the CertificateRequest and the session ticket. After the handshake it only watches record headers
 * (TLS 1.2 renegotiation) or removes itself. Loop only; one per channel.
 */
final class TlsSniffer extends ChannelDuplexHandler {

    /** The fixed ServerHello random of a HelloRetryRequest (RFC 8446 4.1.3). */
    private static final byte[] HELLO_RETRY_RANDOM = HexFormat.of().parseHex(
            "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    private static final int MAX_KEPT_RECORDS = 24;

    /** A Finished message in the transcript, which this side cannot read on the wire. */
    enum Finished {
        CLIENT, SERVER
    }

    // What the handshake showed; read on the loop at handshake completion.
    byte @Nullable [] clientRandom;

    byte @Nullable [] serverRandom;

    byte[] clientSessionId = new byte[0];

    byte[] serverSessionId = new byte[0];

    boolean tls13;

    boolean helloRetry;

    int keyShareGroup = -1;

    int serverKeyExchangeGroup = -1;

    int dhBits = -1;

    boolean pskAccepted;

    boolean serverCertificate;

    List<Integer> clientSigalgs = List.of();

    @Nullable
    List<Integer> certificateRequestSigalgs;

    byte @Nullable [] ticket;

    /** TLS 1.2 transcript: plaintext handshake messages (byte[]) and {@link Finished} markers. */
    final List<Object> transcript = new ArrayList<>();

    /** TLS 1.3: copies of encrypted server records (header and body), oldest first. */
    final List<byte[]> encryptedServerRecords = new ArrayList<>();

    private final Direction inbound = new Direction(true);

    private final Direction outbound = new Direction(false);

    private boolean handshakeDone;

    private boolean keepRecords = true;

    private volatile boolean refuseRenegotiation;

    private boolean refused;

    private @Nullable Runnable onServerRecord;

    private @Nullable ChannelHandlerContext context;

    /** Called after each kept TLS 1.3 server record once the handshake is done (decrypts the ticket). */
    void onServerRecord(Runnable callback) {
        this.onServerRecord = callback;
    }

    /** Copies of encrypted TLS 1.3 server records are kept only when something can decrypt them. */
    void keepRecords(boolean keep) {
        this.keepRecords = keep;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    /** The handshake is over: keep only what later members need. */
    void handshakeDone(boolean watchRenegotiation) {
        ChannelHandlerContext ctx = this.context;
        if (ctx == null) {
            return;
        }
        this.handshakeDone = true;
        this.transcript.clear();
        this.outbound.headersOnly = true;
        if (this.tls13) {
            if (!this.keepRecords) {
                remove(ctx);
            }
        }
        else if (watchRenegotiation) {
            this.inbound.headersOnly = true;
        }
        else {
            remove(ctx);
        }
    }

    /** No more TLS 1.3 server records are needed (the ticket was found, or too many records passed). */
    void stopKeepingRecords() {
        this.keepRecords = false;
        wipeRecords();
        ChannelHandlerContext ctx = this.context;
        if (ctx != null && this.handshakeDone && this.tls13) {
            remove(ctx);
        }
    }

    void wipeRecords() {
        for (byte[] record : this.encryptedServerRecords) {
            Arrays.fill(record, (byte) 0);
        }
        this.encryptedServerRecords.clear();
    }

    boolean isHandshakeDone() {
        return this.handshakeDone;
    }

    /** From now on a TLS 1.2 renegotiation attempt by the peer fails the channel. */
    void refuseRenegotiation() {
        this.refuseRenegotiation = true;
    }

    private static void remove(ChannelHandlerContext ctx) {
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(ctx.handler());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (this.refused) {
            // after a refused renegotiation nothing more reaches the SslHandler; the connector closes
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            try {
                this.inbound.feed(buf);
            }
            catch (RenegotiationRefusedException ex) {
                this.refused = true;
                ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(ex);
                return;
            }
            catch (RuntimeException ex) {
                // A record this reader does not understand: stop reading, the SslHandler decides.
                this.inbound.broken = true;
            }
            if (this.handshakeDone && this.tls13 && this.onServerRecord != null
                    && !this.encryptedServerRecords.isEmpty()) {
                this.onServerRecord.run();
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!this.handshakeDone && msg instanceof ByteBuf buf && buf.isReadable()) {
            try {
                this.outbound.feed(buf);
            }
            catch (RuntimeException ex) {
                this.outbound.broken = true;
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        wipeRecords();
        this.inbound.clear();
        this.outbound.clear();
    }

    /** Thrown inside the reader to refuse a TLS 1.2 renegotiation. */
    static final class RenegotiationRefusedException extends SSLHandshakeException {

        private static final long serialVersionUID = 1L;

        RenegotiationRefusedException() {
            super("renegotiation refused: disableRenegotiation() was called");
        }
    }

    /** One direction's record and handshake-message reassembly. */
    private final class Direction {

        private final boolean fromServer;

        private byte[] records = new byte[0];

        private int recordLength;

        private byte[] messages = new byte[0];

        private int messageLength;

        private boolean encrypted;

        private boolean finishedSeen;

        boolean headersOnly;

        boolean broken;

        private final byte[] header = new byte[5];

        private int headerFill;

        private int skip;

        Direction(boolean fromServer) {
            this.fromServer = fromServer;
        }

        void clear() {
            Arrays.fill(this.records, (byte) 0);
            Arrays.fill(this.messages, (byte) 0);
            this.records = new byte[0];
            this.messages = new byte[0];
            this.recordLength = 0;
            this.messageLength = 0;
        }

        void feed(ByteBuf buf) throws RenegotiationRefusedException {
            if (this.broken) {
                return;
            }
            if (this.headersOnly && this.recordLength == 0) {
                feedHeaders(buf);
                return;
            }
            int length = buf.readableBytes();
            this.records = ensure(this.records, this.recordLength + length);
            buf.getBytes(buf.readerIndex(), this.records, this.recordLength, length);
            this.recordLength += length;
            int offset = 0;
            while (this.recordLength - offset >= 5) {
                int bodyLength = ((this.records[offset + 3] & 0xff) << 8) | (this.records[offset + 4] & 0xff);
                if (this.recordLength - offset < 5 + bodyLength) {
                    break;
                }
                record(this.records[offset] & 0xff, offset, bodyLength);
                offset += 5 + bodyLength;
                if (this.headersOnly) {
                    break;
                }
            }
            System.arraycopy(this.records, offset, this.records, 0, this.recordLength - offset);
            Arrays.fill(this.records, this.recordLength - offset, this.recordLength, (byte) 0);
            this.recordLength -= offset;
            if (this.headersOnly && this.recordLength > 0) {
                // Switch to header-only reading at a record boundary: replay what is left.
                ByteBuf rest = Unpooled.wrappedBuffer(Arrays.copyOf(this.records, this.recordLength));
                this.recordLength = 0;
                try {
                    feedHeaders(rest);
                }
                finally {
                    rest.release();
                }
            }
        }

        private void feedHeaders(ByteBuf buf) throws RenegotiationRefusedException {
            int index = buf.readerIndex();
            int end = buf.writerIndex();
            while (index < end) {
                if (this.skip > 0) {
                    int count = Math.min(this.skip, end - index);
                    this.skip -= count;
                    index += count;
                    continue;
                }
                this.header[this.headerFill++] = buf.getByte(index++);
                if (this.headerFill == 5) {
                    this.headerFill = 0;
                    this.skip = ((this.header[3] & 0xff) << 8) | (this.header[4] & 0xff);
                    if (this.fromServer && (this.header[0] & 0xff) == 22 && !TlsSniffer.this.tls13
                            && TlsSniffer.this.refuseRenegotiation) {
                        throw new RenegotiationRefusedException();
                    }
                }
            }
        }

        private void record(int type, int offset, int bodyLength) throws RenegotiationRefusedException {
            if (type == 20) {
                if (!TlsSniffer.this.tls13) {
                    this.encrypted = true;
                }
            }
            else if (type == 22) {
                if (!this.encrypted) {
                    messages(offset + 5, bodyLength);
                }
                else if (!this.finishedSeen) {
                    this.finishedSeen = true;
                    TlsSniffer.this.transcript.add(this.fromServer ? Finished.SERVER : Finished.CLIENT);
                }
                else if (this.fromServer && TlsSniffer.this.refuseRenegotiation) {
                    throw new RenegotiationRefusedException();
                }
            }
            else if (type == 23 && this.fromServer && TlsSniffer.this.tls13 && TlsSniffer.this.keepRecords) {
                if (TlsSniffer.this.encryptedServerRecords.size() < MAX_KEPT_RECORDS) {
                    TlsSniffer.this.encryptedServerRecords.add(
                            Arrays.copyOfRange(this.records, offset, offset + 5 + bodyLength));
                }
            }
        }

        private void messages(int offset, int length) {
            this.messages = ensure(this.messages, this.messageLength + length);
            System.arraycopy(this.records, offset, this.messages, this.messageLength, length);
            this.messageLength += length;
            int start = 0;
            while (this.messageLength - start >= 4) {
                int bodyLength = ((this.messages[start + 1] & 0xff) << 16) | ((this.messages[start + 2] & 0xff) << 8)
                        | (this.messages[start + 3] & 0xff);
                if (this.messageLength - start < 4 + bodyLength) {
                    break;
                }
                byte[] message = Arrays.copyOfRange(this.messages, start, start + 4 + bodyLength);
                TlsSniffer.this.transcript.add(message);
                TlsSniffer.this.message(message);
                start += 4 + bodyLength;
            }
            System.arraycopy(this.messages, start, this.messages, 0, this.messageLength - start);
            this.messageLength -= start;
        }

        private static byte[] ensure(byte[] array, int size) {
            if (array.length >= size) {
                return array;
            }
            byte[] bigger = Arrays.copyOf(array, Math.max(size, array.length * 2));
            Arrays.fill(array, (byte) 0);
            return bigger;
        }
    }

    /** Parses one plaintext handshake message (type, 3-byte length, body). */
    void message(byte[] message) {
        Reader reader = new Reader(message, 4, message.length);
        switch (message[0] & 0xff) {
            case 1 -> clientHello(reader);
            case 2 -> serverHello(reader);
            case 4 -> this.ticket = newSessionTicket12(reader);
            case 11 -> this.serverCertificate = true;
            case 12 -> serverKeyExchange(reader);
            case 13 -> certificateRequest12(reader);
            default -> {
            }
        }
    }

    private void clientHello(Reader reader) {
        reader.skip(2);
        this.clientRandom = reader.bytes(32);
        this.clientSessionId = reader.bytes(reader.u8());
        reader.skip(reader.u16());
        reader.skip(reader.u8());
        if (!reader.more()) {
            return;
        }
        Reader extensions = reader.sub(reader.u16());
        while (extensions.more()) {
            int type = extensions.u16();
            Reader extension = extensions.sub(extensions.u16());
            if (type == 13) {
                this.clientSigalgs = extension.sub(extension.u16()).u16List();
            }
        }
    }

    private void serverHello(Reader reader) {
        reader.skip(2);
        byte[] random = reader.bytes(32);
        boolean retry = Arrays.equals(random, HELLO_RETRY_RANDOM);
        this.serverSessionId = reader.bytes(reader.u8());
        reader.u16();
        reader.skip(1);
        if (retry) {
            this.helloRetry = true;
        }
        else {
            this.serverRandom = random;
        }
        if (!reader.more()) {
            return;
        }
        Reader extensions = reader.sub(reader.u16());
        while (extensions.more()) {
            int type = extensions.u16();
            Reader extension = extensions.sub(extensions.u16());
            switch (type) {
                case 43 -> this.tls13 = extension.u16() == 0x0304;
                case 51 -> this.keyShareGroup = extension.u16();
                case 41 -> this.pskAccepted = !retry;
                default -> {
                }
            }
        }
    }

    private static byte[] newSessionTicket12(Reader reader) {
        reader.skip(4);
        return reader.bytes(reader.u16());
    }

    private void serverKeyExchange(Reader reader) {
        if (reader.remaining() >= 3 && reader.peek() == 3) {
            reader.skip(1);
            this.serverKeyExchangeGroup = reader.u16();
        }
        else if (reader.remaining() >= 2) {
            this.dhBits = new BigInteger(1, reader.bytes(reader.u16())).bitLength();
        }
    }

    private void certificateRequest12(Reader reader) {
        if (this.tls13) {
            return;
        }
        reader.skip(reader.u8());
        this.certificateRequestSigalgs = reader.sub(reader.u16()).u16List();
    }

    /** Parses a TLS 1.3 CertificateRequest body (context, extensions) for its signature_algorithms. */
    void certificateRequest13(byte[] message) {
        Reader reader = new Reader(message, 4, message.length);
        reader.skip(reader.u8());
        Reader extensions = reader.sub(reader.u16());
        List<Integer> sigalgs = List.of();
        while (extensions.more()) {
            int type = extensions.u16();
            Reader extension = extensions.sub(extensions.u16());
            if (type == 13) {
                sigalgs = extension.sub(extension.u16()).u16List();
            }
        }
        this.certificateRequestSigalgs = sigalgs;
    }

    /** Returns the ticket of a TLS 1.3 NewSessionTicket message. */
    static byte[] newSessionTicket13(byte[] message) {
        Reader reader = new Reader(message, 4, message.length);
        reader.skip(8);
        reader.skip(reader.u8());
        return reader.bytes(reader.u16());
    }

    /** A bounds-checked big-endian reader over part of an array. */
    static final class Reader {

        private final byte[] data;

        private int position;

        private final int end;

        Reader(byte[] data, int offset, int end) {
            if (end > data.length || offset > end) {
                throw new IllegalArgumentException("truncated TLS message");
            }
            this.data = data;
            this.position = offset;
            this.end = end;
        }

        boolean more() {
            return this.position < this.end;
        }

        int remaining() {
            return this.end - this.position;
        }

        int peek() {
            check(1);
            return this.data[this.position] & 0xff;
        }

        int u8() {
            check(1);
            return this.data[this.position++] & 0xff;
        }

        int u16() {
            check(2);
            int value = ((this.data[this.position] & 0xff) << 8) | (this.data[this.position + 1] & 0xff);
            this.position += 2;
            return value;
        }

        byte[] bytes(int count) {
            check(count);
            byte[] bytes = Arrays.copyOfRange(this.data, this.position, this.position + count);
            this.position += count;
            return bytes;
        }

        void skip(int count) {
            check(count);
            this.position += count;
        }

        Reader sub(int count) {
            check(count);
            Reader reader = new Reader(this.data, this.position, this.position + count);
            this.position += count;
            return reader;
        }

        List<Integer> u16List() {
            List<Integer> values = new ArrayList<>();
            while (remaining() >= 2) {
                values.add(u16());
            }
            return List.copyOf(values);
        }

        private void check(int count) {
            if (count < 0 || this.position + count > this.end) {
                throw new IllegalArgumentException("truncated TLS message");
            }
        }
    }
}
