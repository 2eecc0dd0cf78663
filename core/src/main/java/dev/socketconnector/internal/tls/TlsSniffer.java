package dev.socketconnector.internal.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLHandshakeException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Reads the TLS records between the socket and the {@code SslHandler}, in both
 * directions, without changing them: the plaintext handshake messages (randoms, suite,
 * key share, session reuse, sigalgs, the TLS 1.2 ticket and transcript) and, for TLS 1.3,
 * copies of the first encrypted server records so the key log can decrypt the
 * CertificateRequest and the session ticket. After the handshake it only watches record
 * headers (TLS 1.2 renegotiation) or removes itself. Loop only, one per channel, except
 * the kept records, which a getter's thread may take (guarded by their list).
 */
final class TlsSniffer extends ChannelDuplexHandler {

    private static final int MAX_KEPT_RECORDS = 24;

    /** A Finished message in the transcript, which this side cannot read on the wire. */
    enum Finished {

        CLIENT, SERVER

    }

    /**
     * What the plaintext handshake messages showed so far; read on the loop at handshake
     * completion.
     */
    final TlsHandshakeFacts.Parser facts = new TlsHandshakeFacts.Parser();

    /**
     * TLS 1.2 transcript: plaintext handshake messages (byte[]) and {@link Finished}
     * markers. Emptied, and no longer added to, once the ServerHello (or a
     * HelloRetryRequest) has chosen TLS 1.3, which has no use for it.
     */
    final List<Object> transcript = new ArrayList<>();

    /**
     * TLS 1.3: copies of encrypted server records (header and body), oldest first.
     * Guarded by itself: the loop adds, and the records may be decrypted on a getter's
     * thread.
     */
    private final List<byte[]> encryptedServerRecords = new ArrayList<>();

    /** The bytes in {@link #encryptedServerRecords}; guarded by the list. */
    private int keptBytes;

    private final Direction inbound = new Direction(true);

    private final Direction outbound = new Direction(false);

    private boolean handshakeDone;

    private volatile boolean keepRecords = true;

    /**
     * Set by {@link #keepNoMore()}: the kept records outlive this handler's removal, for
     * a getter (close wipes them).
     */
    private volatile boolean holdKeptRecords;

    private volatile boolean refuseRenegotiation;

    private boolean refused;

    private @Nullable Runnable onServerRecord;

    private @Nullable ChannelHandlerContext context;

    /**
     * Called after each kept TLS 1.3 server record once the handshake is done (decrypts
     * the ticket).
     */
    void onServerRecord(Runnable callback) {
        this.onServerRecord = callback;
    }

    /**
     * Copies of encrypted TLS 1.3 server records are kept only when something can decrypt
     * them.
     */
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
        // an idle socket keeps no handshake-sized buffers (issue 14, idle memory)
        this.inbound.trim();
        this.outbound.trim();
        if (this.facts.tls13) {
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

    /**
     * No more TLS 1.3 server records are needed (the ticket was found, or too many
     * records passed).
     */
    void stopKeepingRecords() {
        this.keepRecords = false;
        wipeRecords();
        ChannelHandlerContext ctx = this.context;
        if (ctx != null && this.handshakeDone && this.facts.tls13) {
            if (ctx.executor().inEventLoop()) {
                remove(ctx);
            }
            else {
                // records decrypted on a getter's thread: the pipeline changes on the
                // loop
                try {
                    ctx.executor().execute(() -> remove(ctx));
                }
                catch (RejectedExecutionException ex) {
                    // the loop has stopped: the channel is gone, and the sniffer with it
                }
            }
        }
    }

    /**
     * Keeps no more TLS 1.3 server records, and holds those kept for a getter: after the
     * handshake the sniffer then leaves the pipeline, so later reads pass it by. Loop.
     */
    void keepNoMore() {
        this.keepRecords = false;
        this.holdKeptRecords = true;
        ChannelHandlerContext ctx = this.context;
        if (ctx != null && this.handshakeDone && this.facts.tls13) {
            remove(ctx);
        }
    }

    /** Whether this handler is in its channel's pipeline (tests). Any thread. */
    boolean inPipeline() {
        ChannelHandlerContext ctx = this.context;
        return ctx != null && !ctx.isRemoved();
    }

    /** Whether server records are still being kept. Any thread. */
    boolean isKeeping() {
        return this.keepRecords;
    }

    void wipeRecords() {
        synchronized (this.encryptedServerRecords) {
            for (byte[] record : this.encryptedServerRecords) {
                Arrays.fill(record, (byte) 0);
            }
            this.encryptedServerRecords.clear();
            this.keptBytes = 0;
        }
    }

    /**
     * {@return the bytes of the arrays both directions hold for partial records and
     * messages} Loop (tests).
     */
    int bufferCapacity() {
        return this.inbound.records.length + this.inbound.messages.length + this.outbound.records.length
                + this.outbound.messages.length;
    }

    /** Whether encrypted server records are kept. Any thread. */
    boolean hasKeptRecords() {
        synchronized (this.encryptedServerRecords) {
            return !this.encryptedServerRecords.isEmpty();
        }
    }

    /** How many encrypted server records are kept. Any thread. */
    int keptRecords() {
        synchronized (this.encryptedServerRecords) {
            return this.encryptedServerRecords.size();
        }
    }

    /** How many bytes the kept encrypted server records hold. Any thread. */
    int keptBytes() {
        synchronized (this.encryptedServerRecords) {
            return this.keptBytes;
        }
    }

    /**
     * Takes the oldest kept record (the caller zeroes it), or null when none is kept. Any
     * thread.
     */
    byte @Nullable [] takeRecord() {
        synchronized (this.encryptedServerRecords) {
            if (this.encryptedServerRecords.isEmpty()) {
                return null;
            }
            byte[] record = this.encryptedServerRecords.remove(0);
            this.keptBytes -= record.length;
            return record;
        }
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
            // after a refused renegotiation nothing more reaches the SslHandler; the
            // connector closes
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
                // A record this reader does not understand: stop reading, the SslHandler
                // decides.
                this.inbound.broken = true;
            }
            if (this.handshakeDone && this.facts.tls13 && this.onServerRecord != null && hasKeptRecords()) {
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
        if (!this.holdKeptRecords) {
            wipeRecords();
        }
        this.inbound.clear();
        this.outbound.clear();
    }

    private void keep(byte[] record) {
        synchronized (this.encryptedServerRecords) {
            if (this.encryptedServerRecords.size() < MAX_KEPT_RECORDS) {
                this.encryptedServerRecords.add(record);
                this.keptBytes += record.length;
                return;
            }
        }
        Arrays.fill(record, (byte) 0);
    }

    /** Thrown inside the reader to refuse a TLS 1.2 renegotiation. */
    static final class RenegotiationRefusedException extends SSLHandshakeException {

        private static final long serialVersionUID = 1L;

        RenegotiationRefusedException() {
            super("renegotiation refused: disableRenegotiation() was called");
        }

    }

    private static final byte[] NO_BYTES = {};

    /** One direction's record and handshake-message reassembly. */
    private final class Direction {

        private final boolean fromServer;

        private byte[] records = NO_BYTES;

        private int recordLength;

        private byte[] messages = NO_BYTES;

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

        /**
         * Drops the buffers that hold nothing (wiped first), so a socket that has
         * finished its handshake does not keep their grown arrays while idle. Loop.
         */
        void trim() {
            if (this.recordLength == 0 && this.records.length > 0) {
                Arrays.fill(this.records, (byte) 0);
                this.records = NO_BYTES;
            }
            if (this.messageLength == 0 && this.messages.length > 0) {
                Arrays.fill(this.messages, (byte) 0);
                this.messages = NO_BYTES;
            }
        }

        void clear() {
            Arrays.fill(this.records, (byte) 0);
            Arrays.fill(this.messages, (byte) 0);
            this.records = NO_BYTES;
            this.messages = NO_BYTES;
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
            if (this.recordLength == 0) {
                // no partial record waits: whole records are read straight from the
                // buffer, and only a trailing partial one is copied (issue 14: copying
                // every handshake byte was a third of a TLS connect's allocation)
                int index = buf.readerIndex();
                int end = buf.writerIndex();
                while (end - index >= 5) {
                    int bodyLength = buf.getUnsignedShort(index + 3);
                    if (end - index < 5 + bodyLength) {
                        break;
                    }
                    record(buf.getUnsignedByte(index), buf, index, bodyLength);
                    index += 5 + bodyLength;
                }
                if (index < end) {
                    this.records = ensure(this.records, end - index);
                    buf.getBytes(index, this.records, 0, end - index);
                    this.recordLength = end - index;
                }
                return;
            }
            int length = buf.readableBytes();
            this.records = ensure(this.records, this.recordLength + length);
            buf.getBytes(buf.readerIndex(), this.records, this.recordLength, length);
            this.recordLength += length;
            ByteBuf held = Unpooled.wrappedBuffer(this.records, 0, this.recordLength);
            int offset = 0;
            try {
                while (this.recordLength - offset >= 5) {
                    int bodyLength = ((this.records[offset + 3] & 0xff) << 8) | (this.records[offset + 4] & 0xff);
                    if (this.recordLength - offset < 5 + bodyLength) {
                        break;
                    }
                    record(this.records[offset] & 0xff, held, offset, bodyLength);
                    offset += 5 + bodyLength;
                    if (this.headersOnly) {
                        break;
                    }
                }
            }
            finally {
                held.release();
            }
            System.arraycopy(this.records, offset, this.records, 0, this.recordLength - offset);
            Arrays.fill(this.records, this.recordLength - offset, this.recordLength, (byte) 0);
            this.recordLength -= offset;
            if (TlsSniffer.this.handshakeDone && this.recordLength == 0) {
                // after the handshake (TLS 1.3 records kept for the lazy getters), an
                // idle socket holds no read-sized buffer between reads
                trim();
            }
            if (this.headersOnly && this.recordLength > 0) {
                // Switch to header-only reading at a record boundary: replay what is
                // left.
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
                    if (this.fromServer && (this.header[0] & 0xff) == TlsWire.HANDSHAKE && !TlsSniffer.this.facts.tls13
                            && TlsSniffer.this.refuseRenegotiation) {
                        throw new RenegotiationRefusedException();
                    }
                }
            }
        }

        /** One whole record, header at {@code offset} of {@code source}. */
        private void record(int type, ByteBuf source, int offset, int bodyLength) throws RenegotiationRefusedException {
            if (type == TlsWire.CHANGE_CIPHER_SPEC) {
                if (!TlsSniffer.this.facts.tls13) {
                    this.encrypted = true;
                }
            }
            else if (type == TlsWire.HANDSHAKE) {
                if (!this.encrypted) {
                    messages(source, offset + 5, bodyLength);
                }
                else if (!this.finishedSeen) {
                    this.finishedSeen = true;
                    TlsSniffer.this.transcript.add(this.fromServer ? Finished.SERVER : Finished.CLIENT);
                }
                else if (this.fromServer && TlsSniffer.this.refuseRenegotiation) {
                    throw new RenegotiationRefusedException();
                }
            }
            else if (type == TlsWire.APPLICATION_DATA && this.fromServer && TlsSniffer.this.facts.tls13
                    && TlsSniffer.this.keepRecords) {
                byte[] record = new byte[5 + bodyLength];
                source.getBytes(offset, record);
                keep(record);
            }
        }

        private void messages(ByteBuf source, int offset, int length) {
            if (this.messageLength == 0) {
                // no partial message waits: whole messages straight from the record
                int index = offset;
                int end = offset + length;
                while (end - index >= 4) {
                    int bodyLength = source.getUnsignedMedium(index + 1);
                    if (end - index < 4 + bodyLength) {
                        break;
                    }
                    message(source, index, 4 + bodyLength);
                    index += 4 + bodyLength;
                }
                if (index < end) {
                    this.messages = ensure(this.messages, end - index);
                    source.getBytes(index, this.messages, 0, end - index);
                    this.messageLength = end - index;
                }
                return;
            }
            this.messages = ensure(this.messages, this.messageLength + length);
            source.getBytes(offset, this.messages, this.messageLength, length);
            this.messageLength += length;
            int start = 0;
            ByteBuf held = Unpooled.wrappedBuffer(this.messages, 0, this.messageLength);
            try {
                while (this.messageLength - start >= 4) {
                    int bodyLength = ((this.messages[start + 1] & 0xff) << 16)
                            | ((this.messages[start + 2] & 0xff) << 8) | (this.messages[start + 3] & 0xff);
                    if (this.messageLength - start < 4 + bodyLength) {
                        break;
                    }
                    message(held, start, 4 + bodyLength);
                    start += 4 + bodyLength;
                }
            }
            finally {
                held.release();
            }
            System.arraycopy(this.messages, start, this.messages, 0, this.messageLength - start);
            this.messageLength -= start;
        }

        /**
         * One whole plaintext handshake message at index {@code offset} of
         * {@code source}: parsed where it lies, and copied into the transcript unless TLS
         * 1.3 was chosen (then the transcript is dropped: only TLS 1.2's Finished is
         * computed from it). A message that does not parse is still kept, as it was sent.
         */
        private void message(ByteBuf source, int offset, int length) {
            try {
                TlsSniffer.this.facts.message(source, offset, length);
            }
            finally {
                if (TlsSniffer.this.facts.tls13) {
                    TlsSniffer.this.transcript.clear();
                }
                else {
                    byte[] message = new byte[length];
                    source.getBytes(offset, message);
                    TlsSniffer.this.transcript.add(message);
                }
            }
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

}
