package dev.socketconnector.autoconfigure;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the one INFO line the starter logs when the context starts: the transport, TLS
 * provider and event loops the connector actually loaded.
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketConnectorStartupLogTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class));

    @Test
    void startupLogsTheLoadedTransportTlsProviderAndEventLoopsOnce(CapturedOutput output) {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            SocketConnector connector = context.getBean(SocketConnector.class);
            String line = "socket-connector: transport "
                    + connector.transport().name().toLowerCase(java.util.Locale.ROOT) + ", TLS provider "
                    + connector.tlsProvider() + ", " + connector.eventLoops() + " event loop";
            assertThat(output.getOut()).containsOnlyOnce(line);
            assertThat(output.getOut().lines().filter((l) -> l.contains(line)).findFirst().orElseThrow())
                .contains("INFO");
        });
    }

    @Test
    void startupLogShowsWhatThePropertiesSelected(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("socket.connector.transport=nio", "socket.connector.event-loop-threads=3",
                    "socket.connector.tls.provider=jdk")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                SocketConnector connector = context.getBean(SocketConnector.class);
                assertThat(connector.transport()).isEqualTo(Transport.NIO);
                assertThat(connector.tlsProvider()).isEqualTo(TlsProvider.JDK);
                assertThat(output.getOut())
                    .containsOnlyOnce("socket-connector: transport nio, TLS provider JDK, 3 event loops");
            });
    }

}
