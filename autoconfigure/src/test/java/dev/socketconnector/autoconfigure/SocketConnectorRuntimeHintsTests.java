package dev.socketconnector.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link SocketConnectorRuntimeHints} covers what core does reflectively, and
 * that the auto-configuration imports it. (That Netty's native transports bring their own
 * native-image metadata is checked by the sample app's AOT test, which has them on its
 * class path.)
 */
class SocketConnectorRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    SocketConnectorRuntimeHintsTests() {
        new SocketConnectorRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void typesCoreLooksUpByNameAreRegisteredWhenPresent() {
        assertThat(SocketConnectorRuntimeHints.TYPES_LOOKED_UP_BY_NAME).isNotEmpty();
        for (String type : SocketConnectorRuntimeHints.TYPES_LOOKED_UP_BY_NAME) {
            // the starter's own tests run without the native transports; the sample app's
            // AOT test has them
            boolean present = ClassUtils.isPresent(type, getClass().getClassLoader());
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type)).test(this.hints)).as(type)
                .isEqualTo(present);
        }
    }

    @Test
    void reflectiveTlsMembersAreInvocable() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation("io.netty.handler.ssl.JdkSslEngine", "getWrappedEngine")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onFieldAccess("io.netty.handler.ssl.ReferenceCountedOpenSslContext", "ctx")).accepts(this.hints);
        assertThat(this.hints.reflection().getTypeHint(TypeReference.of("javax.net.ssl.ExtendedSSLSession")).methods())
            .anySatisfy((method) -> assertThat(method.getName()).isEqualTo("exportKeyingMaterialData"));
    }

    @Test
    void typesAbsentFromTheClassPathAreSkipped() {
        RuntimeHints withoutNetty = new RuntimeHints();
        ClassLoader empty = new ClassLoader(null) {
        };
        new SocketConnectorRuntimeHints().registerHints(withoutNetty, empty);
        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("io.netty.channel.epoll.Epoll")))
            .rejects(withoutNetty);
    }

    @Test
    void autoConfigurationImportsTheHints() {
        assertThat(SocketConnectorAutoConfiguration.class.getAnnotation(ImportRuntimeHints.class).value())
            .containsExactly(SocketConnectorRuntimeHints.class);
    }

}
