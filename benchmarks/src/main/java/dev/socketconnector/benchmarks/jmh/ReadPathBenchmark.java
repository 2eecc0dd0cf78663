package dev.socketconnector.benchmarks.jmh;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

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
 * The read path and handler dispatch: a loopback source streams {@code chunk}-byte writes
 * as fast as the client reads; each invocation waits until 1 MiB more has been delivered
 * to the {@code data} callback (connector: a fresh {@code byte[]} per read) or to
 * {@code channelRead} (raw Netty: the pooled buffer, released), so the score is MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class ReadPathBenchmark {

    private static final long MIB = 1024 * 1024;

    /** Waits until the connector's data callback has received 1 MiB more. */
    @Benchmark
    public long connectorDataCallback(ConnectorReader reader) {
        long target = reader.bytes + MIB;
        Loopback.awaitCondition(() -> reader.bytes >= target, "connector data");
        return reader.callbacks;
    }

    /** Waits until raw Netty's channelRead has received 1 MiB more. */
    @Benchmark
    public long rawNettyChannelRead(RawReader reader) {
        long target = reader.bytes + MIB;
        Loopback.awaitCondition(() -> reader.bytes >= target, "raw data");
        return target;
    }

    /**
     * A connector socket reading from its own source (set up only for the connector
     * benchmark).
     */
    @State(Scope.Benchmark)
    public static class ConnectorReader {

        @Param({ "64", "65536" })
        int chunk;

        volatile long bytes;

        volatile long callbacks;

        private BenchmarkServer source;

        private SocketConnector connector;

        private Socket<Void> socket;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            this.source = BenchmarkServer.start(() -> new Loopback.Source(this.chunk), "127.0.0.1", 0, null, null, 1);
            this.connector = SocketConnector.builder().eventLoopThreads(1).build();
            this.socket = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(this.source.port())
                .socket(new SocketHandler<Void>() {
                    @Override
                    public void data(Socket<Void> socket, byte[] data) {
                        // one writer (the event loop), so read-modify-write of the
                        // volatiles is safe
                        ConnectorReader.this.bytes += data.length;
                        ConnectorReader.this.callbacks++;
                    }
                })
                .build()).get(10, TimeUnit.SECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.socket.terminate();
            this.connector.close();
            this.source.close();
        }

    }

    /**
     * A raw Netty channel reading from its own source (set up only for the raw
     * benchmark).
     */
    @State(Scope.Benchmark)
    public static class RawReader {

        @Param({ "64", "65536" })
        int chunk;

        volatile long bytes;

        private BenchmarkServer source;

        private EventLoopGroup group;

        private Channel channel;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            this.source = BenchmarkServer.start(() -> new Loopback.Source(this.chunk), "127.0.0.1", 0, null, null, 1);
            this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            this.channel = new Bootstrap().group(this.group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        RawReader.this.bytes += buf.readableBytes();
                        buf.release();
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", this.source.port()))
                .sync()
                .channel();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.channel.close().syncUninterruptibly();
            this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            this.source.close();
        }

    }

}
