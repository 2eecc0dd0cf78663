package dev.socketconnector.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.FrameException;
import dev.socketconnector.Framing;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code frames} decoders on an embedded channel, where what they hold can be
 * measured: a peer's garbage never makes them hold more than about {@code maxLength} of
 * one frame, and only the first failure is raised.
 */
class FrameDecodersTests {

    private static final int MAX_LENGTH = 64 * 1024;

    @Test
    void lengthFieldAnnouncingTwoGibibytesFailsBeforeHoldingAnyOfIt() {
        FrameDecoders.FrameDecoder decoder = FrameDecoders.newDecoder(Framing.lengthPrefixed(8, MAX_LENGTH));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf header = Unpooled.buffer(8).writeLong(2L * 1024 * 1024 * 1024);
        assertThatThrownBy(() -> channel.writeInbound(header)).satisfies((thrown) -> {
            FrameException error = FrameDecoders.frameError(thrown);
            assertThat(error).isNotNull();
            assertThat(error.code()).isEqualTo(FrameException.ERR_FRAME_TOO_LONG);
            assertThat(error.getMessage()).contains("2147483648").contains("maxLength " + MAX_LENGTH);
        });
        // the peer goes on sending what it announced: nothing of it is held, nothing
        // more is raised
        for (int i = 0; i < 64; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[32 * 1024]));
            assertThat(heldCapacity(decoder)).isLessThan(2 * MAX_LENGTH);
        }
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.partialFrame()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void unterminatedLineFailsAsSoonAsItGrowsPastMaxLengthHoldingLessThanTwiceIt() {
        FrameDecoders.FrameDecoder decoder = FrameDecoders.newDecoder(Framing.lines(MAX_LENGTH));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] chunk = new byte[4096];
        java.util.Arrays.fill(chunk, (byte) 'x');
        int sent = 0;
        Throwable failure = null;
        for (int i = 0; i < 1024 && failure == null; i++) {
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(chunk));
                sent += chunk.length;
            }
            catch (Exception ex) {
                // the frame error, thrown by the embedded channel as it was raised
                sent += chunk.length;
                failure = ex;
            }
            assertThat(heldCapacity(decoder)).isLessThan(2 * MAX_LENGTH);
        }
        assertThat(failure).isNotNull();
        assertThat(sent).isEqualTo(MAX_LENGTH + chunk.length);
        FrameException error = FrameDecoders.frameError(failure);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(FrameException.ERR_FRAME_TOO_LONG);
        // what follows, even whole lines, is dropped without another error
        channel.writeInbound(Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(heldCapacity(decoder)).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void unterminatedDelimitedFrameFailsAsSoonAsItGrowsPastMaxLength() {
        FrameDecoders.FrameDecoder decoder = FrameDecoders
            .newDecoder(Framing.delimiter("END".getBytes(StandardCharsets.US_ASCII), 10));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        // ten bytes then the start of the delimiter: waits
        channel.writeInbound(Unpooled.copiedBuffer("0123456789EN", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.partialFrame()).isTrue();
        channel.writeInbound(Unpooled.copiedBuffer("D", StandardCharsets.US_ASCII));
        byte[] frame = channel.readInbound();
        assertThat(new String(frame, StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        assertThat(decoder.partialFrame()).isFalse();
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer("0123456789EX", StandardCharsets.US_ASCII)))
            .satisfies((thrown) -> assertThat(FrameDecoders.frameError(thrown)).isNotNull()
                .hasMessageContaining("maxLength 10"));
        channel.finishAndReleaseAll();
    }

    @Test
    void inputEndingInsideFrameIsPartial() {
        FrameDecoders.FrameDecoder decoder = FrameDecoders.newDecoder(Framing.lengthPrefixed(2, 100));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.buffer().writeShort(3).writeBytes(new byte[] { 1, 2, 3 }).writeShort(5));
        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(3);
        frame.release();
        channel.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertThat(decoder.partialFrame()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void swarByteSearchOfTheWriteCheckFindsTheFirstMatchLikeALoop() {
        java.util.Random random = new java.util.Random(17);
        for (int run = 0; run < 20_000; run++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int i = 0; i < data.length; i++) {
                // few distinct values, so matches, near-matches and borrows are common
                data[i] = (byte) "\n\u0000\u0001\u0080\u00ffa".charAt(random.nextInt(6));
            }
            int from = (data.length == 0) ? 0 : random.nextInt(data.length + 1);
            int to = from + random.nextInt(data.length - from + 1);
            byte value = (byte) "\n\u0000\u0001\u0080\u00ff".charAt(random.nextInt(5));
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                if (data[i] == value) {
                    expected = i;
                }
            }
            assertThat(FrameCodec.indexOfByte(data, from, to, value)).as("run %d", run).isEqualTo(expected);
        }
    }

    /** The bytes of memory the decoder's cumulation holds. */
    private static int heldCapacity(FrameDecoders.FrameDecoder decoder) {
        return decoder.heldCapacity();
    }

    @Test
    void internalUncountedWritesAreFramedAndNotCountedInBytesWritten() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().build(); TestServer server = TestServer.tcp()) {
            List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new RecordingSocketHandler<Void>().onData((s, data) -> received.add(data)))
                    .framing(Framing.lengthPrefixed(2, 100))
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            NettySocket<?> netty = (NettySocket<?>) socket;
            assertThat(netty.outbound().writeUncounted("ping".getBytes(StandardCharsets.US_ASCII))).isEqualTo(4);
            assertThat(socket.write("data")).isEqualTo(4);
            byte[] wire = peer.readExactly(12);
            assertThat(wire).isEqualTo(new byte[] { 0, 4, 'p', 'i', 'n', 'g', 0, 4, 'd', 'a', 't', 'a' });
            assertThat(socket.bytesWritten()).isEqualTo(4);
            peer.write(new byte[] { 0, 2, 'o', 'k' });
            Await.until("the frame", Duration.ofSeconds(10), () -> received.size() == 1);
            assertThat(socket.bytesRead()).isEqualTo(2);
            socket.terminate();
        }
    }

}
