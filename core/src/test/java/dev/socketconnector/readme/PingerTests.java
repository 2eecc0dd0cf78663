package dev.socketconnector.readme;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.reliability.EchoServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's request/reply example against an echo peer on 127.0.0.1: the echoed
 * line is the reply.
 */
class PingerTests {

    @Test
    void pingGetsTheEchoedLineAsItsReply() throws Exception {
        try (EchoServer echo = EchoServer.tcp("127.0.0.1"); SocketConnector connector = SocketConnector.create()) {
            assertThat(Pinger.ping(connector, echo.port())).isEqualTo("PING");
        }
    }

}
