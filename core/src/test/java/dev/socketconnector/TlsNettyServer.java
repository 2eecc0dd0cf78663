package dev.socketconnector;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

/**
 * A Netty TLS server on 127.0.0.1 (JDK provider, the PKI's {@code server.crt}) that hands
 * each connection, once its handshake is done, to an action: tests use it to send
 * close_notify without a FIN, or a broken record. It records whether each connection
 * received the client's close_notify and what it read.
 */
final class TlsNettyServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final Channel server;

    /**
     * Completed, with what it had read, when the first connection receives the client's
     * close_notify.
     */
    final CompletableFuture<String> closeNotifyReceived = new CompletableFuture<>();

    /** Completed with what the first connection read once it has closed. */
    final CompletableFuture<String> readUntilClosed = new CompletableFuture<>();

    private TlsNettyServer(PkiFixture pki, BiConsumer<ChannelHandlerContext, SslHandler> afterHandshake)
            throws Exception {
        TlsOptions material = TlsOptions.builder().cert(pki.file("server.crt")).key(pki.file("server.key")).build();
        SslContext context = SslContextBuilder
            .forServer(material.key(), material.cert().toArray(new X509Certificate[0]))
            .sslProvider(SslProvider.JDK)
            .build();
        StringBuilder read = new StringBuilder();
        this.server = new ServerBootstrap().group(this.group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    SslHandler ssl = context.newHandler(channel.alloc());
                    channel.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof ByteBuf buffer) {
                                read.append(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
                            }
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                            if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                                afterHandshake.accept(ctx, ssl);
                            }
                            else if (event instanceof SslCloseCompletionEvent close && close.isSuccess()) {
                                TlsNettyServer.this.closeNotifyReceived.complete(read.toString());
                            }
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            TlsNettyServer.this.readUntilClosed.complete(read.toString());
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close();
                        }
                    });
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    }

    /**
     * Starts a server that runs {@code afterHandshake} on each connection's loop once its
     * handshake is done.
     */
    static TlsNettyServer start(PkiFixture pki, BiConsumer<ChannelHandlerContext, SslHandler> afterHandshake)
            throws Exception {
        return new TlsNettyServer(pki, afterHandshake);
    }

    int port() {
        return ((InetSocketAddress) this.server.localAddress()).getPort();
    }

    @Override
    public void close() {
        this.server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

}
