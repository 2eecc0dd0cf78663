package dev.socketconnector.benchmarks.jmh;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.benchmarks.BenchmarkServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The write path from a user thread: {@code Socket.write(byte[])} of 64 B and 64 KiB on
 * an open socket to a loopback sink, honouring backpressure (a partial write waits for
 * {@code drain}), next to the same on raw Netty ({@code writeAndFlush} of a pooled direct
 * buffer, waiting for writability).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class WritePathBenchmark {

    @Param({ "64", "65536" })
    int size;

    private BenchmarkServer sink;

    private SocketConnector connector;

    private Socket<Void> socket;

    private final AtomicLong drains = new AtomicLong();

    private EventLoopGroup group;

    private Channel channel;

    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        this.payload = new byte[this.size];
        this.sink = BenchmarkServer.start(Loopback.Sink::new, "127.0.0.1", 0, null, null, 1);
        this.connector = SocketConnector.builder().eventLoopThreads(1).build();
        this.socket = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
            .hostname("127.0.0.1")
            .port(this.sink.port())
            .socket(new SocketHandler<Void>() {
                @Override
                public void drain(Socket<Void> socket) {
                    WritePathBenchmark.this.drains.incrementAndGet();
                }
            })
            .build()).get(10, TimeUnit.SECONDS);
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.channel = new Bootstrap().group(this.group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
            .handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                }
            })
            .connect(new InetSocketAddress("127.0.0.1", this.sink.port()))
            .sync()
            .channel();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        this.connector.close();
        this.channel.close().syncUninterruptibly();
        this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        this.sink.close();
    }

    /**
     * Writes one payload through the connector, waiting for {@code drain} when it is not
     * fully accepted.
     */
    @Benchmark
    public int connectorWrite() {
        int offset = 0;
        while (offset < this.payload.length) {
            long drainsBefore = this.drains.get();
            int accepted = this.socket.write(this.payload, offset, this.payload.length - offset);
            if (accepted < 0) {
                throw new IllegalStateException("socket closed");
            }
            offset += accepted;
            if (offset < this.payload.length) {
                Loopback.awaitCondition(() -> this.drains.get() != drainsBefore, "drain");
            }
        }
        return offset;
    }

    /** Writes one payload on raw Netty, waiting for writability first. */
    @Benchmark
    public int rawNettyWrite() {
        if (!this.channel.isWritable()) {
            Loopback.awaitCondition(this.channel::isWritable, "writability");
        }
        ByteBuf buf = this.channel.alloc().directBuffer(this.payload.length).writeBytes(this.payload);
        this.channel.writeAndFlush(buf, this.channel.voidPromise());
        return this.payload.length;
    }

}
