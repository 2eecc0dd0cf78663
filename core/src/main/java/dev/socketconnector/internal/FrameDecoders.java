package dev.socketconnector.internal;

import java.nio.ByteOrder;
import java.util.List;

import dev.socketconnector.FrameException;
import dev.socketconnector.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code frames} handler of a framed socket: Netty's own
 * {@code LengthFieldBasedFrameDecoder} and {@code FixedLengthFrameDecoder}, and a
 * delimiter decoder of ours for {@code lines} and {@code delimiter} (see
 * {@link DelimitedDecoder} for why), stripping the delimiter or length field, with the
 * contract's length checks on top. They fail fast: an error as soon as a length field
 * announces more than {@code maxLength} (before a byte of the payload is held) or an
 * unterminated frame grows past it (holding at most {@code maxLength} plus what one read
 * brought), and
 * <ul>
 * <li>{@code maxLength} counts the payload only, exactly (a trailing {@code '\r'} or a
 * partial delimiter still waiting for its end is not counted);</li>
 * <li>a length field of 8 bytes is read unsigned, and one that announces more than
 * {@code maxLength} fails before a byte of the payload is held;</li>
 * <li>after the first failure the decoder drops everything, so the socket reports one
 * error;</li>
 * <li>{@link FrameDecoder#partialFrame()} says whether the stream ended (or is ending)
 * inside a frame, for {@code ERR_PARTIAL_FRAME} before {@code end}.</li>
 * </ul>
 * One instance per channel, confined to its event loop.
 */
final class FrameDecoders {

    private FrameDecoders() {
    }

    /** What the events handler asks the {@code frames} handler. Loop. */
    interface FrameDecoder extends ChannelHandler {

        /**
         * Whether bytes of an unfinished frame were left when the input ended, or are
         * held now; false after a frame error.
         */
        boolean partialFrame();

        /**
         * The memory the decoder holds for frames not yet whole: its cumulation's
         * capacity in bytes (what the tests bound).
         */
        int heldCapacity();

        /**
         * Hands each decoded frame straight to {@code events}, the handler right after
         * this one in the pipeline, instead of one {@code fireChannelRead} per frame;
         * decoders that emit buffers ignore it. Loop, before the first read.
         */
        default void deliverTo(SocketEventsHandler<?> events) {
        }

    }

    static FrameDecoder newDecoder(Framing framing) {
        if (framing instanceof Framing.Lines lines) {
            return new DelimitedDecoder(new byte[] { '\n' }, true, lines.maxLength());
        }
        if (framing instanceof Framing.Delimiter delimiter) {
            return new DelimitedDecoder(delimiter.delimiter(), false, delimiter.maxLength());
        }
        if (framing instanceof Framing.LengthPrefixed prefixed) {
            return new LengthDecoder(prefixed.lengthFieldBytes(), prefixed.effectiveMaxLength());
        }
        if (framing instanceof Framing.Fixed fixed) {
            return new FixedDecoder(fixed.frameLength());
        }
        throw new IllegalArgumentException("no decoder for " + framing);
    }

    /**
     * The contract's exception for what a frame decoder raised, or null when
     * {@code cause} is not a framing failure.
     */
    static @Nullable FrameException frameError(Throwable cause) {
        Throwable current = cause;
        if (current instanceof DecoderException && current.getCause() instanceof FrameException) {
            current = current.getCause();
        }
        if (current instanceof FrameException frame) {
            return frame;
        }
        if (current instanceof TooLongFrameException || current instanceof CorruptedFrameException) {
            FrameException frame = new FrameException(FrameException.ERR_FRAME_TOO_LONG,
                    String.valueOf(current.getMessage()));
            frame.initCause(current);
            return frame;
        }
        return null;
    }

    static FrameException tooLong(String message) {
        return new FrameException(FrameException.ERR_FRAME_TOO_LONG, message);
    }

    static FrameException partial() {
        return new FrameException(FrameException.ERR_PARTIAL_FRAME, "the stream ended inside a frame");
    }

    /** The state every decoder below keeps the same way. */
    private static final class State {

        boolean failed;

        int partialBytes;

        /** Drops what is left once a frame error was raised. */
        boolean skipIfFailed(ByteBuf in) {
            if (this.failed) {
                in.skipBytes(in.readableBytes());
                return true;
            }
            return false;
        }

        FrameException fail(ByteBuf in, FrameException error) {
            this.failed = true;
            in.skipBytes(in.readableBytes());
            return error;
        }

        void inputEnded(ByteBuf in) {
            if (!this.failed && in.isReadable()) {
                this.partialBytes = in.readableBytes();
            }
        }

        boolean partial(ByteBuf held) {
            return !this.failed && (this.partialBytes > 0 || held.isReadable());
        }

    }

    /**
     * {@code lines(maxLength)} and {@code delimiter(bytes, maxLength)}: frames cut where
     * the delimiter is found ({@code ByteBuf.indexOf}, eight bytes at a time), each
     * copied once, straight from the read buffer into the {@code byte[]} handed to
     * {@code data}: handed straight to the events handler (see
     * {@link FrameDecoder#deliverTo}), or as a {@code byte[]} message when there is none.
     * Only the unfinished frame at the end of a read is kept, in a {@code byte[]} of at
     * most {@code maxLength} plus the delimiter; reads are never merged. Netty's
     * {@code LineBasedFrameDecoder} and {@code DelimiterBasedFrameDecoder} were used
     * first: they merge every read that follows a split frame into their cumulation, scan
     * byte by byte and slice each frame, and cost about 12% more event-loop CPU per MiB
     * of lines than this decoder.
     */
    static final class DelimitedDecoder extends ChannelInboundHandlerAdapter implements FrameDecoder {

        private static final byte[] NONE = {};

        private final byte[] delimiter;

        private final boolean lines;

        private final int maxLength;

        /** The bytes of the unfinished frame, {@code partialLength} of them. */
        private byte[] partial = NONE;

        private int partialLength;

        private boolean failed;

        /** Where frames go; null: down the pipeline as {@code byte[]} messages. */
        private @Nullable SocketEventsHandler<?> events;

        DelimitedDecoder(byte[] delimiter, boolean lines, int maxLength) {
            this.delimiter = delimiter;
            this.lines = lines;
            this.maxLength = maxLength;
        }

        @Override
        public void deliverTo(SocketEventsHandler<?> events) {
            this.events = events;
        }

        /** One frame to the events handler, or down the pipeline. */
        private void emit(ChannelHandlerContext ctx, byte[] frame) {
            SocketEventsHandler<?> events = this.events;
            if (events != null) {
                events.frameRead(frame);
            }
            else {
                ctx.fireChannelRead(frame);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!(msg instanceof ByteBuf buffer)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                if (!this.failed) {
                    decode(ctx, buffer);
                }
            }
            finally {
                buffer.release();
            }
        }

        private void decode(ChannelHandlerContext ctx, ByteBuf in) throws FrameException {
            int from = in.readerIndex();
            int end = in.writerIndex();
            if (this.partialLength > 0) {
                from = completePartial(ctx, in, from, end);
                if (from < 0) {
                    return;
                }
            }
            byte first = this.delimiter[0];
            int length = this.delimiter.length;
            while (from < end) {
                int found = in.indexOf(from, end, first);
                while (found >= 0 && length > 1 && !delimiterAt(in, found, end)) {
                    found = (found + 1 < end) ? in.indexOf(found + 1, end, first) : -1;
                }
                if (found < 0) {
                    keepPartial(in, from, end);
                    return;
                }
                if (found - from > this.maxLength + ((this.lines) ? 1 : 0)) {
                    throw fail(found - from);
                }
                int payloadEnd = found;
                if (this.lines && payloadEnd > from && in.getByte(payloadEnd - 1) == '\r') {
                    payloadEnd--;
                }
                if (payloadEnd - from > this.maxLength) {
                    throw fail(payloadEnd - from);
                }
                byte[] frame = new byte[payloadEnd - from];
                in.getBytes(from, frame);
                from = found + length;
                emit(ctx, frame);
                if (this.failed) {
                    return;
                }
            }
        }

        /** Whether the whole delimiter starts at {@code at} (before {@code end}). */
        private boolean delimiterAt(ByteBuf in, int at, int end) {
            if (at + this.delimiter.length > end) {
                return false;
            }
            for (int j = 1; j < this.delimiter.length; j++) {
                if (in.getByte(at + j) != this.delimiter[j]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Ends the unfinished frame with the first delimiter found in the kept bytes and
         * the new ones, or keeps them all.
         * @return where the new bytes continue after it, or -1 when all were kept
         */
        private int completePartial(ChannelHandlerContext ctx, ByteBuf in, int from, int end) throws FrameException {
            int length = this.delimiter.length;
            int start = -1;
            int next = -1;
            // a delimiter that began in the kept bytes (they hold no whole one)
            for (int k = Math.min(length - 1, this.partialLength); k > 0 && start < 0; k--) {
                if (endsWithPrefix(k) && headMatches(in, from, end, k)) {
                    start = this.partialLength - k;
                    next = from + length - k;
                }
            }
            int payloadEnd;
            if (start >= 0) {
                payloadEnd = start;
            }
            else {
                int found = in.indexOf(from, end, this.delimiter[0]);
                while (found >= 0 && length > 1 && !delimiterAt(in, found, end)) {
                    found = (found + 1 < end) ? in.indexOf(found + 1, end, this.delimiter[0]) : -1;
                }
                if (found < 0) {
                    keepPartial(in, from, end);
                    return -1;
                }
                payloadEnd = this.partialLength + (found - from);
                next = found + length;
            }
            // the frame: kept bytes then new ones up to payloadEnd (a '\r' before '\n'
            // dropped)
            int frameLength = payloadEnd;
            if (this.lines && frameLength > 0 && byteAt(in, from, frameLength - 1) == '\r') {
                frameLength--;
            }
            if (frameLength > this.maxLength) {
                throw fail(frameLength);
            }
            byte[] frame = new byte[frameLength];
            int fromKept = Math.min(frameLength, this.partialLength);
            System.arraycopy(this.partial, 0, frame, 0, fromKept);
            if (frameLength > fromKept) {
                in.getBytes(from, frame, fromKept, frameLength - fromKept);
            }
            this.partialLength = 0;
            if (this.partial.length > 8192) {
                this.partial = NONE;
            }
            emit(ctx, frame);
            return this.failed ? -1 : next;
        }

        /** The byte at {@code index} of the kept bytes followed by the new ones. */
        private byte byteAt(ByteBuf in, int from, int index) {
            return (index < this.partialLength) ? this.partial[index] : in.getByte(from + index - this.partialLength);
        }

        /** Whether the kept bytes end with the delimiter's first {@code k} bytes. */
        private boolean endsWithPrefix(int k) {
            for (int j = 0; j < k; j++) {
                if (this.partial[this.partialLength - k + j] != this.delimiter[j]) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the new bytes begin with the rest of the delimiter after {@code k}. */
        private boolean headMatches(ByteBuf in, int from, int end, int k) {
            if (from + this.delimiter.length - k > end) {
                return false;
            }
            for (int j = k; j < this.delimiter.length; j++) {
                if (in.getByte(from + j - k) != this.delimiter[j]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Keeps the bytes of an unfinished frame; fails as soon as they are more than
         * {@code maxLength} (what may still be the start of its delimiter, or a
         * {@code '\r'}, not counted).
         */
        private void keepPartial(ByteBuf in, int from, int end) throws FrameException {
            int added = end - from;
            long held = (long) this.partialLength + added;
            if (held > this.maxLength) {
                int pending = pendingDelimiterBytes(in, from, end);
                if (held - pending > this.maxLength) {
                    throw fail(held);
                }
            }
            if (held > this.partial.length) {
                this.partial = java.util.Arrays.copyOf(this.partial,
                        (int) Math.min(this.maxLength + this.delimiter.length + 1L, Math.max(held, 2L * held)));
            }
            in.getBytes(from, this.partial, this.partialLength, added);
            this.partialLength = (int) held;
        }

        /**
         * How many bytes at the end of what is held may be the start of the delimiter
         * (or, for lines, the '\r' of "\r\n").
         */
        private int pendingDelimiterBytes(ByteBuf in, int from, int end) {
            int total = this.partialLength + (end - from);
            if (this.lines) {
                return (byteAt(in, from, total - 1) == '\r') ? 1 : 0;
            }
            for (int k = Math.min(this.delimiter.length - 1, total); k > 0; k--) {
                boolean match = true;
                for (int j = 0; j < k && match; j++) {
                    match = byteAt(in, from, total - k + j) == this.delimiter[j];
                }
                if (match) {
                    return k;
                }
            }
            return 0;
        }

        private FrameException fail(long length) {
            this.failed = true;
            this.partialLength = 0;
            this.partial = NONE;
            return tooLong((this.lines ? "a line of " : "a frame of ") + length
                    + " bytes, or an unterminated one, is longer than maxLength " + this.maxLength);
        }

        @Override
        public boolean partialFrame() {
            return !this.failed && this.partialLength > 0;
        }

        @Override
        public int heldCapacity() {
            return this.partial.length;
        }

    }

    /**
     * {@code lengthPrefixed(n, maxLength)}: Netty's length-field decoder, the field
     * stripped; the field is checked against {@code maxLength} as soon as it is read.
     */
    static final class LengthDecoder extends LengthFieldBasedFrameDecoder implements FrameDecoder {

        private final int maxLength;

        private final State state = new State();

        LengthDecoder(int lengthFieldBytes, int maxLength) {
            super(ByteOrder.BIG_ENDIAN, maxLength + lengthFieldBytes, 0, lengthFieldBytes, 0, lengthFieldBytes, true);
            this.maxLength = maxLength;
        }

        @Override
        protected @Nullable Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            if (this.state.skipIfFailed(in)) {
                return null;
            }
            try {
                return super.decode(ctx, in);
            }
            catch (TooLongFrameException | CorruptedFrameException ex) {
                throw this.state.fail(in, tooLong(String.valueOf(ex.getMessage())));
            }
        }

        @Override
        protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
            long announced = switch (length) {
                case 1 -> buf.getUnsignedByte(offset);
                case 2 -> buf.getUnsignedShort(offset);
                case 4 -> buf.getUnsignedInt(offset);
                default -> buf.getLong(offset);
            };
            if (Long.compareUnsigned(announced, this.maxLength) > 0) {
                // before a byte of the payload is held; an 8-byte field is unsigned
                throw new TooLongFrameException("a length field announces " + Long.toUnsignedString(announced)
                        + " bytes, more than maxLength " + this.maxLength);
            }
            return announced;
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            super.decodeLast(ctx, in, out);
            this.state.inputEnded(in);
        }

        @Override
        public boolean partialFrame() {
            return this.state.partial(internalBuffer());
        }

        @Override
        public int heldCapacity() {
            return internalBuffer().capacity();
        }

    }

    /** {@code fixed(frameLength)}: Netty's fixed-length decoder. */
    static final class FixedDecoder extends FixedLengthFrameDecoder implements FrameDecoder {

        private final State state = new State();

        FixedDecoder(int frameLength) {
            super(frameLength);
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            super.decodeLast(ctx, in, out);
            this.state.inputEnded(in);
        }

        @Override
        public boolean partialFrame() {
            return this.state.partial(internalBuffer());
        }

        @Override
        public int heldCapacity() {
            return internalBuffer().capacity();
        }

    }

}
