package dev.socketconnector.autoconfigure;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests how endpoints find their handler beans: by name ({@code handler}) or by
 * {@link SocketEndpoint}, and the startup failures when that goes wrong.
 */
class SocketHandlerResolutionTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7");

    @Test
    void handlerNamedByPropertyShouldBeUsed() {
        this.contextRunner.withUserConfiguration(PlainHandlers.class)
            .withPropertyValues(ECHO + "handler=second")
            .run((context) -> assertThat(context.getBean(SocketConnector.class).endpoints().get("echo").socket())
                .isSameAs(context.getBean("second")));
    }

    @Test
    void handlerAnnotatedOnClassShouldBeUsed() {
        this.contextRunner.withUserConfiguration(AnnotatedClassHandler.class)
            .run((context) -> assertThat(context.getBean(SocketConnector.class).endpoints().get("echo").socket())
                .isSameAs(context.getBean(AnnotatedClassHandler.class)));
    }

    @Test
    void handlerAnnotatedOnBeanMethodShouldBeUsed() {
        this.contextRunner.withUserConfiguration(AnnotatedMethodHandler.class)
            .run((context) -> assertThat(context.getBean(SocketConnector.class).endpoints().get("echo").socket())
                .isSameAs(context.getBean("echoHandler")));
    }

    @Test
    void oneHandlerAnnotatedWithTwoEndpointsShouldServeBoth() {
        this.contextRunner.withUserConfiguration(TwoEndpointsHandler.class)
            .withPropertyValues("socket.connector.endpoints.other.hostname=127.0.0.1",
                    "socket.connector.endpoints.other.port=8")
            .run((context) -> {
                var endpoints = context.getBean(SocketConnector.class).endpoints();
                assertThat(endpoints.get("echo").socket()).isSameAs(context.getBean("sharedHandler"));
                assertThat(endpoints.get("other").socket()).isSameAs(context.getBean("sharedHandler"));
            });
    }

    @Test
    void annotationOnNonHandlerBeanShouldFail() {
        this.contextRunner.withUserConfiguration(PlainHandlers.class, AnnotatedNonHandler.class)
            .withPropertyValues(ECHO + "handler=first")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("is annotated @SocketEndpoint but is not a SocketHandler"));
    }

    @Test
    void sameBeanByPropertyAndAnnotationShouldBeAccepted() {
        this.contextRunner.withUserConfiguration(AnnotatedMethodHandler.class)
            .withPropertyValues(ECHO + "handler=echoHandler")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void endpointWithoutHandlerShouldFail() {
        this.contextRunner.withUserConfiguration(PlainHandlers.class).run((context) -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + ECHO + "handler")
                .contains("endpoint 'echo' has no handler");
            assertThat(analysis.getAction()).contains("SocketHandler beans: first, second")
                .contains("@SocketEndpoint(\"echo\")");
        });
    }

    @Test
    void handlerPropertyNamingUnknownBeanShouldFail() {
        this.contextRunner.withUserConfiguration(PlainHandlers.class)
            .withPropertyValues(ECHO + "handler=nope")
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Property: " + ECHO + "handler")
                    .contains("Value: \"nope\"")
                    .contains("no bean named 'nope'");
                assertThat(analysis.getAction()).contains("SocketHandler beans: first, second");
            });
    }

    @Test
    void handlerPropertyNamingNonHandlerBeanShouldFail() {
        this.contextRunner.withUserConfiguration(PlainHandlers.class)
            .withPropertyValues(ECHO + "handler=text")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("bean 'text' is not a SocketHandler"));
    }

    @Test
    void annotationNamingUnknownEndpointShouldFail() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
            .withUserConfiguration(PlainHandlers.class, AnnotatedClassHandler.class)
            .withPropertyValues("socket.connector.endpoints.other.hostname=127.0.0.1",
                    "socket.connector.endpoints.other.port=7", "socket.connector.endpoints.other.handler=first")
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Property: socket.connector.endpoints.echo")
                    .contains("@SocketEndpoint(\"echo\")")
                    .contains("no endpoint 'echo' is configured (configured endpoints: other)");
            });
    }

    @Test
    void twoAnnotatedHandlersForOneEndpointShouldFail() {
        this.contextRunner.withUserConfiguration(AnnotatedClassHandler.class, AnnotatedMethodHandler.class)
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("endpoint 'echo' has two handlers")
                .contains("AnnotatedClassHandler")
                .contains("echoHandler"));
    }

    @Test
    void propertyAndAnnotationNamingDifferentHandlersShouldFail() {
        this.contextRunner.withUserConfiguration(PlainHandlers.class, AnnotatedMethodHandler.class)
            .withPropertyValues(ECHO + "handler=first")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("Property: " + ECHO + "handler")
                .contains("beans 'first' and 'echoHandler'"));
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).as("startup failure").isNotNull();
        FailureAnalysis analysis = new SocketConnectorFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainHandlers {

        @Bean
        SocketHandler<Object> first() {
            return new SocketHandler<>() {
            };
        }

        @Bean
        SocketHandler<Object> second() {
            return new SocketHandler<>() {
            };
        }

        @Bean
        String text() {
            return "not a handler";
        }

    }

    @SocketEndpoint("echo")
    @Configuration(proxyBeanMethods = false)
    static class AnnotatedClassHandler implements SocketHandler<Object> {

    }

    @Configuration(proxyBeanMethods = false)
    static class TwoEndpointsHandler {

        @Bean
        @SocketEndpoint({ "echo", "other" })
        SocketHandler<Object> sharedHandler() {
            return new SocketHandler<>() {
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedNonHandler {

        @Bean
        @SocketEndpoint("echo")
        String notAHandler() {
            return "text";
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedMethodHandler {

        @Bean
        @SocketEndpoint("echo")
        SocketHandler<Object> echoHandler() {
            return new SocketHandler<>() {
            };
        }

    }

}
