package dev.socketconnector.autoconfigure;

import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link SocketConnectorRuntimeHints} covers what core loads reflectively, and that the
 * auto-configuration imports it.
 */
class SocketConnectorRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    SocketConnectorRuntimeHintsTests() {
        new SocketConnectorRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void channelsAreConstructibleAndTheJdkExporterIsInvocable() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(NioSocketChannel.class.getConstructor()))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onConstructorInvocation(NioDomainSocketChannel.class.getConstructor())).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("javax.net.ssl.ExtendedSSLSession")))
            .accepts(this.hints);
    }

    @Test
    void nativeTransportsPresentOnTheClassPathAreRegistered() {
        for (String type : new String[] { "io.netty.channel.epoll.Epoll", "io.netty.channel.epoll.EpollIoHandler",
                "io.netty.channel.epoll.EpollSocketChannel", "io.netty.channel.epoll.EpollChannelOption",
                "io.netty.channel.uring.IoUring", "io.netty.channel.uring.IoUringIoHandler" }) {
            boolean present = ClassUtils.isPresent(type, getClass().getClassLoader());
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type)).test(this.hints))
                .as(type).isEqualTo(present);
        }
    }

    @Test
    void autoConfigurationImportsTheHints() {
        assertThat(SocketConnectorAutoConfiguration.class
            .getAnnotation(org.springframework.context.annotation.ImportRuntimeHints.class)
            .value()).containsExactly(SocketConnectorRuntimeHints.class);
    }
}
