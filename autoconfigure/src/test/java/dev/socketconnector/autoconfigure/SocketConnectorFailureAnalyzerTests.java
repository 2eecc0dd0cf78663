package dev.socketconnector.autoconfigure;

import dev.socketconnector.SocketHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests the "APPLICATION FAILED TO START" report of a real {@link SpringApplication} for
 * invalid {@code socket.connector.*} values: ours through
 * {@code META-INF/spring.factories}, and Boot's own for values that cannot be bound
 * (unknown transport or provider), which also names the property and the allowed values.
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketConnectorFailureAnalyzerTests {

    @Test
    void portOutOfRangeShouldReportPropertyAndRange(CapturedOutput output) {
        run("--socket.connector.endpoints.echo.hostname=127.0.0.1", "--socket.connector.endpoints.echo.port=70000");
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: socket.connector.endpoints.echo.port")
            .contains("Value: \"70000\"")
            .contains("set 'socket.connector.endpoints.echo.port' to a port between 1 and 65535");
    }

    @Test
    void unknownBundleShouldReportPropertyAndDefinedBundles(CapturedOutput output) {
        run("--socket.connector.tls.bundle=nope",
                "--spring.ssl.bundle.pem.known.truststore.certificate=classpath:does-not-matter.crt");
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: socket.connector.tls.bundle")
            .contains("no SSL bundle named 'nope'");
    }

    @Test
    void unknownTransportShouldReportPropertyAndAllowedValues(CapturedOutput output) {
        run("--socket.connector.transport=kqueue");
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("socket.connector.transport")
            .contains("kqueue")
            .contains("AUTO")
            .contains("NIO")
            .contains("EPOLL")
            .contains("IO_URING");
    }

    @Test
    void unknownProviderShouldReportPropertyAndAllowedValues(CapturedOutput output) {
        run("--socket.connector.endpoints.echo.hostname=127.0.0.1", "--socket.connector.endpoints.echo.port=7",
                "--socket.connector.endpoints.echo.tls.provider=gnutls");
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("socket.connector.endpoints.echo.tls.provider")
            .contains("gnutls")
            .contains("JDK")
            .contains("OPENSSL");
    }

    @Test
    void misspeltKeyShouldReportTheKeyAndTheClosestValidOne(CapturedOutput output) {
        run("--socket.connector.endpoints.echo.hostname=127.0.0.1", "--socket.connector.endpoints.echo.port=7",
                "--socket.connector.tls.bundel=local-ca");
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: socket.connector.tls.bundel")
            .contains("did you mean 'socket.connector.tls.bundle'?")
            .contains("Rename 'socket.connector.tls.bundel' to 'socket.connector.tls.bundle'");
    }

    private static void run(String... args) {
        SpringApplication application = new SpringApplication(FailingApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(args).close());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class FailingApplication {

        @Bean
        @SocketEndpoint("echo")
        SocketHandler<Object> echoHandler() {
            return new SocketHandler<>() {
            };
        }

    }

}
