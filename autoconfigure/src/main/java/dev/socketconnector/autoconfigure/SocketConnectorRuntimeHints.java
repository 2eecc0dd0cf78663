package dev.socketconnector.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Runtime hints for a GraalVM native image of an application with the starter: what core
 * still does reflectively. Types that are not on the class path are skipped.
 * <ul>
 * <li>Core compiles against Netty's epoll and io_uring classes and creates their channels
 * and event loops directly; it only checks by name ({@code Class.forName}) that
 * {@code io.netty.channel.epoll.Epoll}, {@code io.netty.channel.uring.IoUring} and
 * {@code io.netty.channel.unix.DomainSocketAddress} are present, so these types are
 * registered, without members. The transports' own JNI, reflection and resource (the
 * {@code .so}) metadata ships in Netty's {@code netty-transport-classes-epoll} and
 * {@code -io_uring} jars under {@code META-INF/native-image}, which {@code native-image}
 * reads by itself.</li>
 * <li>TLS: {@code JdkSslEngine.getWrappedEngine()} (the trust manager finds the JDK
 * engine behind Netty's ALPN wrapper),
 * {@code ExtendedSSLSession.exportKeyingMaterialData} (the JDK provider's exporter, JDK
 * 25+) and the {@code ctx} field of {@code ReferenceCountedOpenSslContext} (the BoringSSL
 * key log).</li>
 * </ul>
 * Not covered: netty-tcnative (the OPENSSL provider) ships no native-image metadata for
 * its JNI library and none is registered here; without it tcnative cannot load in a
 * native image (and {@code TlsProvider.AUTO} would pick JDK).
 */
class SocketConnectorRuntimeHints implements RuntimeHintsRegistrar {

    /**
     * Types core looks up by name ({@code Class.forName}) before touching a native
     * transport.
     */
    static final List<String> TYPES_LOOKED_UP_BY_NAME = List.of("io.netty.channel.epoll.Epoll",
            "io.netty.channel.uring.IoUring", "io.netty.channel.unix.DomainSocketAddress");

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        ReflectionHints reflection = hints.reflection();
        for (String type : TYPES_LOOKED_UP_BY_NAME) {
            reflection.registerTypeIfPresent(classLoader, type, (hint) -> {
            });
        }
        reflection.registerTypeIfPresent(classLoader, "io.netty.handler.ssl.JdkSslEngine",
                (hint) -> hint.withMethod("getWrappedEngine", List.of(), ExecutableMode.INVOKE));
        reflection.registerTypeIfPresent(classLoader, "io.netty.handler.ssl.ReferenceCountedOpenSslContext",
                (hint) -> hint.withField("ctx"));
        reflection
            .registerType(TypeReference.of("javax.net.ssl.ExtendedSSLSession"),
                    (hint) -> hint.withMethod(
                            "exportKeyingMaterialData", List.of(TypeReference.of(String.class),
                                    TypeReference.of(byte[].class), TypeReference.of(int.class)),
                            ExecutableMode.INVOKE));
    }

}
