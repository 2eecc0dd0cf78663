package dev.socketconnector.readme;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's framing example against a real peer on 127.0.0.1: one write is one
 * line, and lines split across reads reach {@code data} whole.
 */
class LinePrinterTests {

    @Test
    void writesOneLineAndPrintsEachWholeLine() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SocketConnector connector = SocketConnector.create(); TestServer server = TestServer.tcp()) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            Socket<Void> socket = connector.connect(LinePrinter.options(server.port())).get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            assertThat(new String(peer.readExactly(6), StandardCharsets.US_ASCII)).isEqualTo("HELLO\n");
            peer.write("first li");
            peer.write("ne\r\nsecond line\n");
            Await.until("two lines printed", Duration.ofSeconds(10),
                    () -> out.toString(StandardCharsets.UTF_8).lines().count() == 2);
            socket.terminate();
        }
        finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("first line", "second line");
    }

}
