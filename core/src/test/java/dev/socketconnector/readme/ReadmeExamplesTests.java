package dev.socketconnector.readme;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.reliability.EchoServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's core Java examples (the README's blocks are these files' marked
 * regions, checked by the autoconfigure module's {@code ReadmeTests}) against real peers
 * on 127.0.0.1.
 */
class ReadmeExamplesTests {

    @Test
    void helloPrintsTheEchoThenClosed() throws Exception {
        try (EchoServer echo = EchoServer.tcp("127.0.0.1")) {
            // several runs: the broken example printed the echo in only some of them
            for (int run = 0; run < 5; run++) {
                assertThat(runHello(echo.port())).isEqualTo("hello\nclosed\n");
            }
        }
    }

    @Test
    void uploaderSendsEveryByteThroughDrainThenEnds() throws Exception {
        byte[] bytes = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(bytes);
        try (EchoServer sink = EchoServer.tcp("127.0.0.1", 0, true);
                SocketConnector connector = SocketConnector.builder()
                    .writeBufferWaterMark(16 * 1024, 64 * 1024)
                    .build()) {
            Socket<Uploader.Upload> socket = connector
                .connect(TcpSocketConnectOptions.<Uploader.Upload>builder()
                    .hostname("127.0.0.1")
                    .port(sink.port())
                    .socket(new Uploader())
                    .data(new Uploader.Upload(bytes))
                    .build())
                .get(10, TimeUnit.SECONDS);

            EchoServer.Result result = sink.awaitResult(60);
            assertThat(result.failure()).isNull();
            assertThat(result.bytes()).isEqualTo(bytes.length);
            assertThat(result.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(socket.bytesWritten()).isEqualTo(bytes.length);
            assertThat(socket.data().remaining()).isZero();
        }
    }

    private static String runHello(int port) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Hello.main(new String[] { Integer.toString(port) });
        }
        finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

}
