package dev.socketconnector.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Runtime hints for a GraalVM native image of an application with the starter: what core loads reflectively.
 * <p>
 * Core finds Netty's native transports by name, so that their jars stay optional: for epoll and io_uring it
 * calls {@code Epoll.isAvailable()}/{@code IoUring.isAvailable()} and {@code unavailabilityCause()},
 * {@code <Prefix>IoHandler.newFactory()}, reads the {@code TCP_KEEP*} fields of {@code <Prefix>ChannelOption},
 * and creates {@code <Prefix>SocketChannel} and {@code <Prefix>DomainSocketChannel} (and NIO's channels)
 * through their public no-argument constructors. On JDK 25 the JDK TLS provider calls
 * {@code ExtendedSSLSession.exportKeyingMaterialData} reflectively (it does not exist on JDK 17). Types that are
 * not on the class path are skipped.
 */
class SocketConnectorRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        ReflectionHints reflection = hints.reflection();
        for (String[] transport : new String[][] { { "io.netty.channel.epoll.", "Epoll" },
                { "io.netty.channel.uring.", "IoUring" } }) {
            String prefix = transport[0] + transport[1];
            reflection.registerTypeIfPresent(classLoader, prefix, MemberCategory.INVOKE_PUBLIC_METHODS);
            reflection.registerTypeIfPresent(classLoader, prefix + "IoHandler", MemberCategory.INVOKE_PUBLIC_METHODS);
            reflection.registerTypeIfPresent(classLoader, prefix + "ChannelOption", MemberCategory.ACCESS_PUBLIC_FIELDS);
            reflection.registerTypeIfPresent(classLoader, prefix + "SocketChannel",
                    MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
            reflection.registerTypeIfPresent(classLoader, prefix + "DomainSocketChannel",
                    MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        }
        reflection.registerTypeIfPresent(classLoader, "io.netty.channel.unix.DomainSocketAddress");
        reflection.registerTypeIfPresent(classLoader, "io.netty.channel.socket.nio.NioSocketChannel",
                MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        reflection.registerTypeIfPresent(classLoader, "io.netty.channel.socket.nio.NioDomainSocketChannel",
                MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        reflection.registerType(TypeReference.of("javax.net.ssl.ExtendedSSLSession"),
                MemberCategory.INVOKE_PUBLIC_METHODS);
    }
}
