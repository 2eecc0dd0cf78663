package dev.socketconnector.internal.tls;

import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;

import dev.socketconnector.PkiFixture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TlsSniffer} between two in-memory TLS peers: bytes pass unchanged, the handshake
 * fields are read, and a TLS 1.2 renegotiation is refused even when its record header
 * arrives one byte at a time.
 */
class TlsSnifferTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private final List<Throwable> clientErrors = new ArrayList<>();

    private EmbeddedChannel client(TlsSniffer sniffer, String version) throws SSLException {
        SslContext context = SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .protocols(version)
            .build();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(sniffer, context.newHandler(channel.alloc()), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                TlsSnifferTests.this.clientErrors.add(cause);
            }
        });
        return channel;
    }

    private static EmbeddedChannel server(String version) throws SSLException {
        SslContext context = SslContextBuilder
            .forServer(PKI.file("server.crt").toFile(), PKI.file("server.key").toFile())
            .sslProvider(SslProvider.JDK)
            .protocols(version)
            .build();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(context.newHandler(channel.alloc()));
        return channel;
    }

    /**
     * Moves bytes both ways until neither side writes; returns what the client sent, in
     * order.
     */
    private static List<byte[]> pump(EmbeddedChannel client, EmbeddedChannel server) {
        List<byte[]> sent = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            boolean moved = false;
            for (ByteBuf buf; (buf = client.readOutbound()) != null; moved = true) {
                sent.add(ByteBufUtil.getBytes(buf));
                server.writeInbound(buf);
            }
            for (ByteBuf buf; (buf = server.readOutbound()) != null; moved = true) {
                client.writeInbound(buf);
            }
            if (!moved) {
                break;
            }
        }
        return sent;
    }

    @ParameterizedTest
    @ValueSource(strings = { "TLSv1.3", "TLSv1.2" })
    void aSnifferThatStaysAfterTheHandshakeHoldsNoBuffersBetweenReads(String version) throws Exception {
        // TLS 1.3 keeps the sniffer for the server's records (lazy getters), TLS 1.2 to
        // watch for renegotiation: an idle socket must not keep handshake-sized arrays
        TlsSniffer sniffer = new TlsSniffer();
        EmbeddedChannel client = client(sniffer, version);
        EmbeddedChannel server = server(version);
        pump(client, server);
        assertThat(client.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).isTrue();
        assertThat(sniffer.bufferCapacity()).as("whole records are read where they arrived, never copied").isZero();
        sniffer.handshakeDone(true);
        assertThat(client.pipeline().get(TlsSniffer.class)).as("the sniffer stays").isSameAs(sniffer);
        assertThat(sniffer.bufferCapacity()).as("after handshakeDone").isZero();
        server.writeAndFlush(Unpooled.wrappedBuffer(new byte[3000]));
        pump(client, server);
        ByteBuf read = client.readInbound();
        assertThat(read.readableBytes()).isEqualTo(3000);
        read.release();
        assertThat(sniffer.bufferCapacity()).as("after a read of whole records").isZero();
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(strings = { "TLSv1.3", "TLSv1.2" })
    void recordsAndMessagesSplitAcrossReadsAreReassembled(String version) throws Exception {
        TlsSniffer sniffer = new TlsSniffer();
        EmbeddedChannel client = client(sniffer, version);
        EmbeddedChannel server = server(version);
        int splitReads = 0;
        for (int round = 0; round < 20; round++) {
            boolean moved = false;
            for (ByteBuf buf; (buf = client.readOutbound()) != null; moved = true) {
                server.writeInbound(buf);
            }
            for (ByteBuf buf; (buf = server.readOutbound()) != null; moved = true) {
                // inside a record header, then inside a handshake message's header
                for (int cut : new int[] { 3, 7 }) {
                    if (buf.readableBytes() > cut) {
                        client.writeInbound(buf.readRetainedSlice(cut));
                        splitReads++;
                    }
                }
                client.writeInbound(buf);
            }
            if (!moved) {
                break;
            }
        }
        assertThat(splitReads).isPositive();
        assertThat(client.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).isTrue();
        TlsHandshakeFacts facts = sniffer.facts.facts();
        assertThat(facts.serverRandom()).hasSize(32).isNotEqualTo(facts.clientRandom());
        assertThat(facts.tls13()).isEqualTo(version.equals("TLSv1.3"));
        if (version.equals("TLSv1.2")) {
            assertThat(facts.serverCertificate()).isTrue();
            assertThat(facts.serverKeyExchangeGroup()).isEqualTo(0x001d);
            assertThat(sniffer.transcript).contains(TlsSniffer.Finished.CLIENT, TlsSniffer.Finished.SERVER);
        }
        else {
            assertThat(facts.keyShareGroup()).isEqualTo(0x001d);
        }
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(strings = { "TLSv1.3", "TLSv1.2" })
    void snifferReadsTheHandshakeAndPassesBytesUnchanged(String version) throws Exception {
        TlsSniffer sniffer = new TlsSniffer();
        EmbeddedChannel client = client(sniffer, version);
        EmbeddedChannel server = server(version);
        List<byte[]> sent = pump(client, server);
        assertThat(client.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).isTrue();
        assertThat(sent.get(0)[0]).as("first record is a handshake record").isEqualTo((byte) 22);
        TlsHandshakeFacts facts = sniffer.facts.facts();
        assertThat(facts.clientRandom()).hasSize(32);
        assertThat(facts.serverRandom()).hasSize(32).isNotEqualTo(facts.clientRandom());
        assertThat(facts.tls13()).isEqualTo(version.equals("TLSv1.3"));
        assertThat(facts.clientSigalgs()).contains(0x0403, 0x0804);
        assertThat(facts.pskAccepted()).isFalse();
        if (version.equals("TLSv1.2")) {
            assertThat(facts.serverCertificate()).isTrue();
            assertThat(facts.serverKeyExchangeGroup()).isEqualTo(0x001d);
            assertThat(sniffer.transcript).contains(TlsSniffer.Finished.CLIENT, TlsSniffer.Finished.SERVER);
        }
        else {
            assertThat(facts.keyShareGroup()).isEqualTo(0x001d);
            // TLS 1.3 computes nothing from the transcript: once the ServerHello chose
            // it,
            // the hellos are neither copied nor kept
            assertThat(sniffer.transcript).isEmpty();
        }
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void refusedRenegotiationIsReportedEvenWhenItsHeaderArrivesByteByByte() throws Exception {
        TlsSniffer sniffer = new TlsSniffer();
        EmbeddedChannel client = client(sniffer, "TLSv1.2");
        EmbeddedChannel server = server("TLSv1.2");
        pump(client, server);
        sniffer.handshakeDone(true);
        sniffer.refuseRenegotiation();
        // From here the records are synthetic: only the sniffer reads them.
        client.pipeline().remove(SslHandler.class);
        client.releaseOutbound();
        byte[] data = { 23, 3, 3, 0, 2, 0x41, 0x42 };
        for (byte b : data) {
            client.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
        }
        assertThat(this.clientErrors).isEmpty();
        assertThat(client.inboundMessages()).hasSize(data.length);
        client.releaseInbound();
        byte[] helloRequest = { 22, 3, 3, 0, 4, 0, 0, 0, 0 };
        for (byte b : helloRequest) {
            client.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
        }
        assertThat(this.clientErrors).hasSize(1);
        assertThat(this.clientErrors.get(0)).isInstanceOf(TlsSniffer.RenegotiationRefusedException.class);
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

}
