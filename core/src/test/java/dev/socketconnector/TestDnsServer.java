package dev.socketconnector;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

/**
 * A DNS server for tests: UDP on 127.0.0.1 and an ephemeral port, answering A and AAAA
 * queries from a table the test changes while it runs ({@link #answer}), every record
 * with a TTL of one second; an unknown name gets NXDOMAIN. It records every question it
 * was asked ({@link #questions()}), as {@code NAME TYPE}.
 */
public final class TestDnsServer implements AutoCloseable {

    /** The TTL of every record, in seconds. */
    public static final int TTL_SECONDS = 1;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final Map<String, List<InetAddress>> table = new ConcurrentHashMap<>();

    private final List<String> questions = new CopyOnWriteArrayList<>();

    private final Channel channel;

    private TestDnsServer() throws InterruptedException {
        this.channel = new Bootstrap().group(this.group)
            .channel(NioDatagramChannel.class)
            .handler(new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel ch) {
                    ch.pipeline()
                        .addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Responder());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    }

    /** Starts a server on 127.0.0.1 and an ephemeral UDP port. */
    public static TestDnsServer start() throws InterruptedException {
        return new TestDnsServer();
    }

    /**
     * {@return the server's address, to hand to {@code Resolver.dns(...)}}
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) this.channel.localAddress();
    }

    /**
     * Sets what {@code name} resolves to from now on (A records for the IPv4 addresses,
     * AAAA for the IPv6 ones, each in the given order); no address: NXDOMAIN.
     */
    public void answer(String name, InetAddress... addresses) {
        this.table.put(normalize(name), List.of(addresses));
    }

    /**
     * {@return the questions asked so far, {@code NAME TYPE} each, in order}
     */
    public List<String> questions() {
        return List.copyOf(this.questions);
    }

    @Override
    public void close() {
        this.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionDesired(query.isRecursionDesired());
            response.setRecursionAvailable(true);
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question == null) {
                response.setCode(DnsResponseCode.FORMERR);
                ctx.writeAndFlush(response);
                return;
            }
            String name = normalize(question.name());
            DnsRecordType type = question.type();
            TestDnsServer.this.questions.add(name + " " + type.name());
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), type));
            List<InetAddress> addresses = TestDnsServer.this.table.get(name);
            if (addresses == null || addresses.isEmpty()) {
                response.setCode(DnsResponseCode.NXDOMAIN);
                ctx.writeAndFlush(response);
                return;
            }
            for (InetAddress address : addresses) {
                boolean v4 = address instanceof Inet4Address;
                if ((type == DnsRecordType.A && v4) || (type == DnsRecordType.AAAA && !v4)) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), type, TTL_SECONDS,
                            Unpooled.wrappedBuffer(address.getAddress())));
                }
            }
            ctx.writeAndFlush(response);
        }

    }

}
