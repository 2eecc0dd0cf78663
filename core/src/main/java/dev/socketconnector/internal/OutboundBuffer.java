package dev.socketconnector.internal;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import org.jspecify.annotations.Nullable;

/**
 * One socket's write path, both halves: what {@code write} accepts on any thread, and
 * what the event loop does with it. Accepting is lock-free: a byte count is reserved
 * below the high-water mark (on the loop against what Netty holds; off the loop by one
 * CAS on {@link #queuedBytes}), the bytes are copied into one pooled buffer, and the
 * buffer is written directly on the loop or offered to a lazily created queue that one
 * loop task drains in order. Writes made inside a socket callback are flushed once when
 * the callback (or the read batch) ends; other loop writes once at the end of the current
 * loop task. After a short write, {@code drain} fires once, when everything queued has
 * reached Netty and Netty holds no more than the low-water mark. A socket makes its
 * buffer on its first write, or when its output closes ({@link NettySocket#outbound()},
 * which says why a race to make it loses nothing): one that never writes has none.
 * Buffers go to the {@code events} handler's context.
 *
 * <p>
 * Threads: {@code write}, {@link #closeOutput()}, {@link #outputClosed()},
 * {@link #queuedCount()}, {@link #unsentBytes()} and {@link #flush()} from any thread;
 * everything else on the channel's event loop only.
 */
final class OutboundBuffer {

    /**
     * Set in {@link #queuedBytes} once the output is closed: a writer's CAS then fails,
     * so no write from another thread is accepted after it, and the count below the bit
     * is what writers that won the race still hand to the loop.
     */
    static final long OUTPUT_CLOSED_BIT = 1L << 62;

    /**
     * What one buffer queued from another thread costs beyond its payload, charged
     * against the high-water mark so that tiny writes cannot hold many times the mark:
     * the pooled {@code ByteBuf} object and its node in the queue (about 100 bytes of
     * heap on a 64-bit JVM) and the allocator's 32-byte smallest size class (measured:
     * about 131 bytes in all for a 1-byte write), with a margin.
     */
    static final int QUEUED_WRITE_OVERHEAD = 160;

    /**
     * The largest TLS record's plaintext (RFC 8446 5.1), which the {@code SslHandler}
     * wraps per record by default. A write accepted in part on a TLS socket is cut to a
     * multiple of it, so that a writer repeating the same record-aligned chunks (64 KiB,
     * say) hands the {@code SslHandler} buffers that each end on a record boundary: a
     * record that spans two buffers is copied into a new one before it is encrypted.
     */
    static final int TLS_RECORD_PLAINTEXT = 16 * 1024;

    private static final AtomicLongFieldUpdater<OutboundBuffer> BYTES_WRITTEN = AtomicLongFieldUpdater
        .newUpdater(OutboundBuffer.class, "bytesWritten");

    private static final AtomicLongFieldUpdater<OutboundBuffer> QUEUED_BYTES = AtomicLongFieldUpdater
        .newUpdater(OutboundBuffer.class, "queuedBytes");

    private static final AtomicIntegerFieldUpdater<OutboundBuffer> DRAIN_SCHEDULED = AtomicIntegerFieldUpdater
        .newUpdater(OutboundBuffer.class, "drainScheduled");

    private static final AtomicIntegerFieldUpdater<OutboundBuffer> NEED_DRAIN = AtomicIntegerFieldUpdater
        .newUpdater(OutboundBuffer.class, "needDrain");

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<OutboundBuffer, Queue> QUEUE = AtomicReferenceFieldUpdater
        .newUpdater(OutboundBuffer.class, Queue.class, "queue");

    private final NettySocket<?> socket;

    private final int highWaterMark;

    private final int lowWaterMark;

    /**
     * The framing's encoder, or null for raw bytes ({@code Framing.none()}): then every
     * write takes the unframed path below, unchanged.
     */
    private final @Nullable FrameCodec frames;

    /**
     * Made by the first cross-thread write (any thread; a duplicate from a race is
     * harmless).
     */
    private @Nullable Runnable drainQueueTask;

    /**
     * Buffers written from other threads, for the loop to drain in order; created by the
     * first such write, so that the many sockets that never write from another thread pay
     * nothing for it.
     */
    private volatile @Nullable Queue<ByteBuf> queue;

    /**
     * Set by end(), shutdown() and close (through {@link #closeOutput()}): write() then
     * returns -1.
     */
    private volatile boolean outputClosed;

    private volatile long bytesWritten;

    private volatile long queuedBytes;

    private volatile int drainScheduled;

    private volatile int needDrain;

    // loop-confined below

    private boolean flushPending;

    private boolean flushTaskScheduled;

    /** Made by the first write outside a callback: idle sockets pay nothing for it. */
    private @Nullable Runnable flushTask;

    private boolean drainCheckDeferred;

    /**
     * A close step waiting for writers on other threads that won the race against
     * closeOutput().
     */
    private @Nullable Runnable afterAccepted;

    OutboundBuffer(NettySocket<?> socket, int lowWaterMark, int highWaterMark) {
        this(socket, lowWaterMark, highWaterMark, null);
    }

    OutboundBuffer(NettySocket<?> socket, int lowWaterMark, int highWaterMark, @Nullable FrameCodec frames) {
        this.socket = socket;
        this.lowWaterMark = lowWaterMark;
        this.highWaterMark = highWaterMark;
        this.frames = frames;
    }

    long bytesWritten() {
        return this.bytesWritten;
    }

    boolean outputClosed() {
        return this.outputClosed;
    }

    /**
     * Closes the output for writers: later writes return -1. After this, the queue only
     * receives the buffers of writers whose CAS came first ({@link #queuedCount()} counts
     * them). Any thread.
     */
    void closeOutput() {
        this.outputClosed = true;
        for (;;) {
            long queued = this.queuedBytes;
            if ((queued & OUTPUT_CLOSED_BIT) != 0
                    || QUEUED_BYTES.compareAndSet(this, queued, queued | OUTPUT_CLOSED_BIT)) {
                return;
            }
        }
    }

    /**
     * What writers on other threads have accepted and not yet handed to the pipeline,
     * overhead included.
     */
    long queuedCount() {
        return this.queuedBytes & ~OUTPUT_CLOSED_BIT;
    }

    /**
     * Bytes accepted by write and not yet handed to the kernel: queued for the loop (each
     * queued write counted with its bookkeeping, so at most
     * {@link #QUEUED_WRITE_OVERHEAD} bytes too many per queued write) or held by Netty.
     */
    long unsentBytes() {
        return queuedCount() + nettyPendingBytes();
    }

    long nettyPendingBytes() {
        return this.socket.nettyPendingBytes();
    }

    // ---- accepting (any thread) ----

    /**
     * Accepts up to {@code length} bytes of {@code data}; the caller has checked the
     * state. Any thread.
     */
    int write(byte[] data, int offset, int length) {
        FrameCodec frames = this.frames;
        if (frames != null) {
            return writeFrame(frames, data, offset, length, true);
        }
        if (length == 0) {
            return 0;
        }
        boolean onLoop = this.socket.loop.inEventLoop();
        int accepted = reserve(length, onLoop);
        if (accepted > 0) {
            ByteBuf buffer = this.socket.channel.alloc().ioBuffer(accepted);
            buffer.writeBytes(data, offset, accepted);
            submit(buffer, accepted, onLoop);
        }
        return accepted;
    }

    /**
     * Accepts up to all remaining bytes of {@code data}, advancing its position by what
     * it took. Any thread.
     */
    int write(ByteBuffer data) {
        FrameCodec frames = this.frames;
        if (frames != null) {
            return writeFrame(frames, data);
        }
        int length = data.remaining();
        if (length == 0) {
            return 0;
        }
        boolean onLoop = this.socket.loop.inEventLoop();
        int accepted = reserve(length, onLoop);
        if (accepted > 0) {
            ByteBuf buffer = this.socket.channel.alloc().ioBuffer(accepted);
            ByteBuffer slice = data.duplicate();
            slice.limit(slice.position() + accepted);
            buffer.writeBytes(slice);
            data.position(data.position() + accepted);
            submit(buffer, accepted, onLoop);
        }
        return accepted;
    }

    /**
     * Writes bytes the socket sends for itself (the heartbeat, {@link IdleHandler}):
     * framed like any write when the socket has a framing, always whole or not at all,
     * and not counted in {@code bytesWritten()}. Loop when unframed; any thread framed.
     * @return the payload's length, 0 when the buffer cannot take it whole now (nothing
     * written), or -1 once the output is closed
     */
    int writeUncounted(byte[] data) {
        FrameCodec frames = this.frames;
        if (frames != null) {
            return writeFrame(frames, data, 0, data.length, false);
        }
        assert this.socket.loop.inEventLoop();
        if (this.outputClosed) {
            return -1;
        }
        if (data.length == 0 || queuedCount() + nettyPendingBytes() + data.length > this.highWaterMark) {
            // whole or not at all: a heartbeat split by the mark would corrupt the stream
            return 0;
        }
        int accepted = reserve(data.length, true);
        if (accepted > 0) {
            ByteBuf buffer = this.socket.channel.alloc().ioBuffer(accepted);
            buffer.writeBytes(data, 0, accepted);
            submit(buffer, 0, true);
        }
        return accepted;
    }

    // ---- frames: one buffer per frame, accepted whole or not at all ----

    /**
     * Accepts one whole frame of {@code length} payload bytes, or nothing: the frame
     * (length field, payload, delimiter) is built in one buffer, so frames from several
     * threads never interleave. Any thread.
     * @param counted whether the payload counts in {@code bytesWritten()}
     * @return {@code length} when accepted, 0 when the buffer cannot take the frame now,
     * -1 once the output is closed
     * @throws IllegalArgumentException when the framing cannot send this payload
     */
    private int writeFrame(FrameCodec frames, byte[] data, int offset, int length, boolean counted) {
        int accepted = acceptFrame(frames, data, offset, length, counted);
        return (accepted > 0) ? length : accepted;
    }

    /**
     * The frame write itself: reserves, builds the frame in one buffer and submits it.
     * @return a positive number when the whole frame was accepted (also for an empty
     * payload), 0 when the buffer cannot take it now, -1 once the output is closed
     */
    private int acceptFrame(FrameCodec frames, byte[] data, int offset, int length, boolean counted) {
        int wireLength = frames.wireLength(length);
        frames.checkContent(data, offset, length);
        boolean onLoop = this.socket.loop.inEventLoop();
        int reserved = reserveFrame(wireLength, onLoop);
        if (reserved <= 0) {
            return reserved;
        }
        ByteBuf buffer = this.socket.channel.alloc().ioBuffer(wireLength);
        frames.writeHeader(buffer, length);
        buffer.writeBytes(data, offset, length);
        frames.writeTrailer(buffer);
        submit(buffer, counted ? length : 0, onLoop);
        return reserved;
    }

    /**
     * {@link #writeFrame(FrameCodec, byte[], int, int, boolean)} for the remaining bytes
     * of {@code data}, advancing its position past them when accepted.
     */
    private int writeFrame(FrameCodec frames, ByteBuffer data) {
        int length = data.remaining();
        int wireLength = frames.wireLength(length);
        frames.checkContent(data);
        boolean onLoop = this.socket.loop.inEventLoop();
        int reserved = reserveFrame(wireLength, onLoop);
        if (reserved <= 0) {
            return reserved;
        }
        ByteBuf buffer = this.socket.channel.alloc().ioBuffer(wireLength);
        frames.writeHeader(buffer, length);
        buffer.writeBytes(data.duplicate());
        data.position(data.position() + length);
        frames.writeTrailer(buffer);
        submit(buffer, length, onLoop);
        return length;
    }

    /**
     * Writes a request's frame ({@link PendingRequests}): a counted frame write whose
     * result tells an accepted empty frame from a full buffer ({@code write} returns 0
     * for both). Any thread; the caller has checked the state.
     * @return 1 when the whole frame was accepted, 0 when the buffer cannot take it now,
     * -1 once the output is closed
     * @throws IllegalArgumentException when the framing cannot send this payload
     */
    int writeRequestFrame(byte[] data) {
        FrameCodec frames = Objects.requireNonNull(this.frames, "a request needs a framing");
        int accepted = acceptFrame(frames, data, 0, data.length, true);
        return (accepted > 0) ? 1 : accepted;
    }

    /**
     * Reserves room for one whole frame of {@code wireLength} bytes: granted whenever the
     * buffer is below the high-water mark (the frame may then take it past the mark, so
     * any frame up to {@code maxLength} can be written), else nothing and a drain is
     * requested.
     * @return {@code wireLength}, 0, or -1 once the output is closed
     */
    private int reserveFrame(int wireLength, boolean onLoop) {
        if (onLoop) {
            if (this.queuedBytes != 0) {
                drainQueue();
            }
            if (this.highWaterMark - nettyPendingBytes() > 0) {
                return wireLength;
            }
        }
        else {
            for (;;) {
                long queued = this.queuedBytes;
                if ((queued & OUTPUT_CLOSED_BIT) != 0) {
                    return -1;
                }
                long room = this.highWaterMark - nettyPendingBytes() - queued - QUEUED_WRITE_OVERHEAD;
                if (room <= 0) {
                    break;
                }
                if (QUEUED_BYTES.compareAndSet(this, queued, queued + wireLength + QUEUED_WRITE_OVERHEAD)) {
                    return wireLength;
                }
            }
        }
        requestDrain(onLoop);
        return 0;
    }

    /**
     * Reserves up to {@code length} bytes below the high-water mark and returns how many,
     * or -1 once the output is closed: what Netty holds (its own per-message overhead
     * included) plus what is queued for the loop (each buffer charged
     * {@link #QUEUED_WRITE_OVERHEAD} on top of its bytes) never exceeds the mark by more
     * than one write. Off the loop this is one CAS, which fails once
     * {@link #closeOutput()} has run. Requests a drain when short.
     */
    private int reserve(int length, boolean onLoop) {
        int accepted;
        if (onLoop) {
            if (this.queuedBytes != 0) {
                drainQueue();
            }
            long pending = nettyPendingBytes();
            long room = this.highWaterMark - pending;
            accepted = recordAligned((int) Math.max(0, Math.min(length, room)), length, pending);
        }
        else {
            for (;;) {
                long queued = this.queuedBytes;
                if ((queued & OUTPUT_CLOSED_BIT) != 0) {
                    return -1;
                }
                long pending = nettyPendingBytes();
                long room = this.highWaterMark - pending - queued - QUEUED_WRITE_OVERHEAD;
                accepted = recordAligned((int) Math.max(0, Math.min(length, room)), length, pending);
                if (accepted == 0
                        || QUEUED_BYTES.compareAndSet(this, queued, queued + accepted + QUEUED_WRITE_OVERHEAD)) {
                    break;
                }
            }
        }
        if (accepted < length) {
            requestDrain(onLoop);
        }
        return accepted;
    }

    /**
     * What a write of {@code length} bytes that fits {@code accepted} of them takes: all
     * of {@code accepted}, except on a TLS socket, where a write of at least one record
     * that does not fit whole takes whole records only ({@link #TLS_RECORD_PLAINTEXT}):
     * none when less than one fits, provided Netty holds more than the low-water mark:
     * the drain that follows then waits for bytes to leave, and the retry finds room
     * (without that condition, marks within one record of each other would fire drain
     * after drain for a write that still takes nothing). The rest is the caller's to
     * write again on {@code drain}, as with any partial write.
     * @param pending what Netty holds now
     */
    private int recordAligned(int accepted, int length, long pending) {
        if (accepted < length && length >= TLS_RECORD_PLAINTEXT && this.socket.isTls()) {
            int whole = accepted - accepted % TLS_RECORD_PLAINTEXT;
            if (whole > 0 || pending > this.lowWaterMark) {
                return whole;
            }
        }
        return accepted;
    }

    /**
     * Hands an accepted buffer to the loop, directly or through the queue.
     * @param counted the payload bytes it adds to {@code bytesWritten()}
     */
    private void submit(ByteBuf buffer, int counted, boolean onLoop) {
        BYTES_WRITTEN.addAndGet(this, counted);
        if (onLoop) {
            writeNow(buffer);
        }
        else {
            queue().offer(buffer);
            scheduleQueueDrain();
        }
    }

    @SuppressWarnings("unchecked")
    private Queue<ByteBuf> queue() {
        Queue<ByteBuf> current = this.queue;
        if (current != null) {
            return current;
        }
        Queue<ByteBuf> created = new ConcurrentLinkedQueue<>();
        // set once, never cleared: another writer's queue is there if this one lost the
        // race
        return QUEUE.compareAndSet(this, null, created) ? created : Objects.requireNonNull(this.queue);
    }

    private void scheduleQueueDrain() {
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            Runnable task = this.drainQueueTask;
            if (task == null) {
                task = this::drainQueueTask;
                this.drainQueueTask = task;
            }
            this.socket.execute(task);
        }
    }

    private void requestDrain(boolean onLoop) {
        if (NEED_DRAIN.compareAndSet(this, 0, 1) && !onLoop) {
            this.socket.execute(this::checkDrain);
        }
    }

    /**
     * socket.flush(): on the loop, writes what is queued and flushes; elsewhere schedules
     * the queue's task.
     */
    void flush() {
        if (this.socket.loop.inEventLoop()) {
            drainQueue();
            flushNow();
        }
        else {
            int state = this.socket.state();
            if (state == NettySocket.OPEN || state == NettySocket.CLOSING) {
                scheduleQueueDrain();
            }
        }
    }

    // ---- the loop's half ----

    /**
     * Writes a buffer accepted on the loop; flushed at the end of the current callback or
     * task. Loop.
     */
    private void writeNow(ByteBuf buffer) {
        ChannelHandlerContext context = this.socket.events.context();
        if (context == null || this.socket.state() == NettySocket.CLOSED) {
            buffer.release();
            return;
        }
        context.write(buffer, context.voidPromise());
        this.flushPending = true;
        if (!this.socket.events.inCallback() && !this.flushTaskScheduled) {
            // written outside this socket's callbacks (another socket's, or a task):
            // flush when the task ends
            this.flushTaskScheduled = true;
            Runnable task = this.flushTask;
            if (task == null) {
                task = this::flushTask;
                this.flushTask = task;
            }
            this.socket.loop.execute(task);
        }
    }

    private void flushTask() {
        this.flushTaskScheduled = false;
        if (!this.socket.events.inCallback()) {
            flushNow();
        }
    }

    private void drainQueueTask() {
        this.drainScheduled = 0;
        drainQueue();
        flushNow();
        queueDrained();
    }

    /** Moves queued buffers into the pipeline, in order; the caller flushes. Loop. */
    void drainQueue() {
        assert this.socket.loop.inEventLoop();
        Queue<ByteBuf> queue = this.queue;
        if (queue == null) {
            return;
        }
        ByteBuf buffer;
        while ((buffer = queue.poll()) != null) {
            int size = buffer.readableBytes();
            ChannelHandlerContext context = this.socket.events.context();
            if (this.socket.state() == NettySocket.CLOSED || context == null) {
                // closed by a reset, terminate() or a failure: close reports it
                buffer.release();
            }
            else {
                context.write(buffer, context.voidPromise());
                this.flushPending = true;
            }
            QUEUED_BYTES.addAndGet(this, -(size + QUEUED_WRITE_OVERHEAD));
        }
    }

    /**
     * Releases queued buffers after close. Loop, or any thread once the loop has
     * terminated.
     */
    void discardQueue() {
        Queue<ByteBuf> queue = this.queue;
        if (queue == null) {
            return;
        }
        ByteBuf buffer;
        while ((buffer = queue.poll()) != null) {
            QUEUED_BYTES.addAndGet(this, -(buffer.readableBytes() + QUEUED_WRITE_OVERHEAD));
            buffer.release();
        }
    }

    /** Flushes what has been written, then checks for a due drain. Loop. */
    void flushNow() {
        assert this.socket.loop.inEventLoop();
        ChannelHandlerContext context = this.socket.events.context();
        if (this.flushPending && context != null) {
            this.flushPending = false;
            context.flush();
        }
        checkDrain();
    }

    /** Whether something written has not been flushed yet. Loop. */
    boolean flushPending() {
        return this.flushPending;
    }

    /**
     * Flushes everything written and returns the future of an empty write after it. Loop.
     */
    ChannelFuture flushAll(ChannelHandlerContext context) {
        this.flushPending = false;
        return context.writeAndFlush(Unpooled.EMPTY_BUFFER);
    }

    /**
     * Flushes everything written, for a step (close_notify) that writes after it. Loop.
     */
    void flushBefore(ChannelHandlerContext context) {
        this.flushPending = false;
        context.flush();
    }

    /**
     * A socket callback (or read batch) has ended: flush what it wrote, or run a deferred
     * drain check. Loop.
     */
    void callbacksDone() {
        if (this.flushPending) {
            flushNow();
        }
        else if (this.drainCheckDeferred) {
            checkDrain();
        }
    }

    /**
     * Fires drain once the buffer has fallen to the low-water mark after a short write.
     * Loop.
     */
    void checkDrain() {
        assert this.socket.loop.inEventLoop();
        if (this.socket.events.inCallback()) {
            this.drainCheckDeferred = true;
            return;
        }
        this.drainCheckDeferred = false;
        if (this.socket.state() != NettySocket.OPEN || !this.socket.events.opened() || !drainDue()) {
            return;
        }
        this.socket.events.fireDrain();
    }

    /**
     * Whether a drain is due: a short write happened and the buffer is at or below the
     * low-water mark.
     */
    private boolean drainDue() {
        return this.needDrain != 0 && queuedCount() == 0 && nettyPendingBytes() <= this.lowWaterMark
                && NEED_DRAIN.compareAndSet(this, 1, 0);
    }

    // ---- closing ----

    /**
     * Runs {@code action} once every byte accepted by {@code write} is in the pipeline:
     * now, or, when a writer on another thread won its race against
     * {@link #closeOutput()} and has not queued its buffer yet, from the queue task that
     * moves that buffer. Closes the output first. Loop.
     */
    void afterAccepted(Runnable action) {
        closeOutput();
        drainQueue();
        Runnable previous = this.afterAccepted;
        if (previous == null && queuedCount() == 0) {
            action.run();
            return;
        }
        this.afterAccepted = (previous == null) ? action : () -> {
            previous.run();
            action.run();
        };
    }

    /**
     * Forgets a deferred close step: the socket is closing now (terminate, close). Loop.
     */
    void cancelAfterAccepted() {
        this.afterAccepted = null;
    }

    /**
     * The queue task has moved what was queued into the pipeline: runs a deferred close
     * step. Loop.
     */
    private void queueDrained() {
        Runnable action = this.afterAccepted;
        if (action != null && queuedCount() == 0 && this.socket.state() != NettySocket.CLOSED) {
            this.afterAccepted = null;
            action.run();
        }
    }

}
