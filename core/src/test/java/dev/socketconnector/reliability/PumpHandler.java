package dev.socketconnector.reliability;

import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;

import dev.socketconnector.Socket;
import org.jspecify.annotations.Nullable;

/**
 * Sends {@code total} bytes of a {@link StreamSource} the way Bun's docs show: write,
 * keep what was not accepted, resume on {@code drain}. Everything it reads must be the
 * same stream (an echo): each read is checked byte by byte and hashed; when the whole
 * stream has come back the handler ends the socket.
 */
public class PumpHandler extends TrackingHandler<Void> {

    private final long total;

    private final StreamSource source;

    private final StreamSource expected;

    private final MessageDigest sentDigest = EchoServer.sha256();

    private final MessageDigest receivedDigest = EchoServer.sha256();

    private final CompletableFuture<Void> echoed = new CompletableFuture<>();

    private final boolean endWhenEchoed;

    private volatile boolean verify = true;

    private volatile long sent;

    private volatile long echoedBytes;

    private volatile long mismatchAt = -1;

    private volatile long partialWrites;

    /**
     * Creates a pump.
     * @param seed the stream's seed
     * @param total how many bytes to send
     * @param endWhenEchoed whether to end the socket once every byte has come back
     */
    public PumpHandler(long seed, long total, boolean endWhenEchoed) {
        this.total = total;
        this.source = new StreamSource(seed);
        this.expected = new StreamSource(seed);
        this.endWhenEchoed = endWhenEchoed;
    }

    @Override
    public void open(Socket<Void> socket) {
        super.open(socket);
        pump(socket);
    }

    @Override
    public void drain(Socket<Void> socket) {
        super.drain(socket);
        pump(socket);
    }

    /** Writes until the stream is sent or a write is not fully accepted. */
    private void pump(Socket<Void> socket) {
        while (this.sent < this.total) {
            byte[] chunk = this.source.chunk();
            int offset = this.source.offset();
            int length = (int) Math.min(chunk.length - offset, this.total - this.sent);
            int written = socket.write(chunk, offset, length);
            if (written < 0) {
                return;
            }
            this.sentDigest.update(chunk, offset, written);
            this.source.consume(written);
            this.sent += written;
            if (written < length) {
                this.partialWrites++;
                return;
            }
        }
    }

    @Override
    public void data(Socket<Void> socket, byte[] data) {
        super.data(socket, data);
        if (this.verify && this.mismatchAt < 0) {
            int at = this.expected.verify(data);
            if (at >= 0) {
                this.mismatchAt = this.echoedBytes + at;
                this.echoed.completeExceptionally(new AssertionError("echo differs at byte " + this.mismatchAt));
            }
        }
        this.receivedDigest.update(data);
        this.echoedBytes += data.length;
        if (this.echoedBytes >= this.total) {
            this.echoed.complete(null);
            if (this.endWhenEchoed) {
                socket.end();
            }
        }
    }

    @Override
    public void close(Socket<Void> socket, @Nullable Throwable error) {
        super.close(socket, error);
        this.echoed.completeExceptionally(
                new AssertionError("closed after " + this.echoedBytes + " of " + this.total + " bytes echoed", error));
    }

    /**
     * Checks only the SHA-256 of what comes back, not each byte as it arrives (saves CPU
     * on big transfers).
     */
    public PumpHandler digestOnly() {
        this.verify = false;
        return this;
    }

    /**
     * Completes when every byte has come back (fails on a difference or an early close).
     */
    public CompletableFuture<Void> echoed() {
        return this.echoed;
    }

    /** Returns the bytes accepted by write. */
    public long sent() {
        return this.sent;
    }

    /** Returns the bytes that came back. */
    public long echoedBytes() {
        return this.echoedBytes;
    }

    /**
     * Returns the offset of the first echoed byte that differed from the stream, or -1.
     */
    public long mismatchAt() {
        return this.mismatchAt;
    }

    /** Returns how many writes were accepted only in part (or not at all). */
    public long partialWrites() {
        return this.partialWrites;
    }

    /**
     * Returns the SHA-256 of the bytes accepted by write (call once the transfer is
     * over).
     */
    public byte[] sentDigest() {
        return this.sentDigest.digest();
    }

    /**
     * Returns the SHA-256 of the bytes that came back (call once the transfer is over).
     */
    public byte[] receivedDigest() {
        return this.receivedDigest.digest();
    }

}
