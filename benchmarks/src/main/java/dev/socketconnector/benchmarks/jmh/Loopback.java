package dev.socketconnector.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Helpers shared by the JMH benchmarks: bounded waits and the loopback peers (a sink, a
 * source).
 */
final class Loopback {

    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Loopback() {
    }

    /**
     * Parks in short steps (never spins a core away from the event loops) until the
     * condition holds.
     */
    static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(2_000);
        }
    }

    /** Discards everything it reads. */
    static final class Sink extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

    }

    /**
     * Sends {@code chunk}-byte buffers (of the given content, or of whatever the pooled
     * buffer holds) for as long as the channel is writable, forever.
     */
    static final class Source extends ChannelInboundHandlerAdapter {

        private final int chunk;

        private final byte @Nullable [] content;

        Source(int chunk) {
            this.chunk = chunk;
            this.content = null;
        }

        Source(byte[] content) {
            this.chunk = content.length;
            this.content = content;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (ctx.channel().isActive() && ctx.channel().isWritable()) {
                ByteBuf buf = ctx.alloc().directBuffer(this.chunk);
                byte[] content = this.content;
                if (content != null) {
                    buf.writeBytes(content);
                }
                else {
                    buf.writerIndex(this.chunk);
                }
                ctx.write(buf, ctx.voidPromise());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

    }

}
