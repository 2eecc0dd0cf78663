package dev.socketconnector.internal;

import java.nio.ByteOrder;
import java.util.List;

import dev.socketconnector.FrameException;
import dev.socketconnector.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code frames} handler of a framed socket: Netty's own frame decoders, stripping
 * the delimiter or length field, with the contract's length checks on top. They fail
 * fast: an error as soon as a length field announces more than {@code maxLength} (before
 * a byte of the payload is held) or an unterminated frame grows past it (holding at most
 * {@code maxLength} plus what one read brought), and
 * <ul>
 * <li>{@code maxLength} counts the payload only, exactly (Netty's own line and delimiter
 * limits would count a trailing {@code '\r'} or a partial delimiter still waiting for its
 * end, so the checks are made here instead);</li>
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

    }

    static FrameDecoder newDecoder(Framing framing) {
        if (framing instanceof Framing.Lines lines) {
            return new LinesDecoder(lines.maxLength());
        }
        if (framing instanceof Framing.Delimiter delimiter) {
            return new DelimiterDecoder(delimiter.delimiter(), delimiter.maxLength());
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

    /** {@code lines(maxLength)}: Netty's line decoder, '\r' before '\n' dropped. */
    static final class LinesDecoder extends LineBasedFrameDecoder implements FrameDecoder {

        private final int maxLength;

        private final State state = new State();

        LinesDecoder(int maxLength) {
            // the length checks are decode()'s, on the payload exactly (Netty's count a
            // '\r' waiting for its '\n')
            super(Integer.MAX_VALUE, true, true);
            this.maxLength = maxLength;
        }

        @Override
        protected @Nullable Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
            if (this.state.skipIfFailed(buffer)) {
                return null;
            }
            Object frame = super.decode(ctx, buffer);
            if (frame instanceof ByteBuf payload) {
                if (payload.readableBytes() > this.maxLength) {
                    int length = payload.readableBytes();
                    payload.release();
                    throw this.state.fail(buffer,
                            tooLong("a line of " + length + " bytes is longer than maxLength " + this.maxLength));
                }
                return payload;
            }
            // no '\n' in the buffer: it holds one unterminated line
            int held = buffer.readableBytes();
            if (held > this.maxLength && buffer.getByte(buffer.writerIndex() - 1) != '\r') {
                throw this.state.fail(buffer, tooLong("an unterminated line of " + held
                        + " bytes is already longer than maxLength " + this.maxLength));
            }
            return null;
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

    /** {@code delimiter(bytes, maxLength)}: Netty's delimiter decoder. */
    static final class DelimiterDecoder extends DelimiterBasedFrameDecoder implements FrameDecoder {

        private final byte[] delimiter;

        private final int maxLength;

        private final State state = new State();

        DelimiterDecoder(byte[] delimiter, int maxLength) {
            // the length checks are decode()'s, on the payload exactly (Netty's count a
            // partial delimiter waiting for its end)
            super(Integer.MAX_VALUE, true, true, Unpooled.wrappedBuffer(delimiter));
            this.delimiter = delimiter;
            this.maxLength = maxLength;
        }

        @Override
        protected @Nullable Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
            if (this.state.skipIfFailed(buffer)) {
                return null;
            }
            Object frame = super.decode(ctx, buffer);
            if (frame instanceof ByteBuf payload) {
                if (payload.readableBytes() > this.maxLength) {
                    int length = payload.readableBytes();
                    payload.release();
                    throw this.state.fail(buffer,
                            tooLong("a frame of " + length + " bytes is longer than maxLength " + this.maxLength));
                }
                return payload;
            }
            int held = buffer.readableBytes();
            if (held > this.maxLength && held - delimiterPrefixAtEnd(buffer) > this.maxLength) {
                throw this.state.fail(buffer, tooLong("an unterminated frame of " + held
                        + " bytes is already longer than maxLength " + this.maxLength));
            }
            return null;
        }

        /**
         * How many bytes at the buffer's end are the start of the delimiter (0 to its
         * length - 1).
         */
        private int delimiterPrefixAtEnd(ByteBuf buffer) {
            int end = buffer.writerIndex();
            for (int k = Math.min(this.delimiter.length - 1, buffer.readableBytes()); k > 0; k--) {
                boolean match = true;
                for (int j = 0; j < k; j++) {
                    if (buffer.getByte(end - k + j) != this.delimiter[j]) {
                        match = false;
                        break;
                    }
                }
                if (match) {
                    return k;
                }
            }
            return 0;
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
