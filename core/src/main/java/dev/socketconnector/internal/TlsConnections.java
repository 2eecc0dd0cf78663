package dev.socketconnector.internal;

import java.util.function.Supplier;

import dev.socketconnector.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Creates each connection's {@link TlsConnection} from the connect's TLS options merged with the connector's
 * defaults. One per connector; thread-safe.
 */
final class TlsConnections {

    private final Supplier<TlsOptions> defaults;

    TlsConnections(Supplier<TlsOptions> defaults) {
        this.defaults = defaults;
    }

    /**
     * Prepares TLS for one connection; called on the caller's thread by {@code connect()}, so invalid options
     * fail synchronously.
     * @param options the connect's TLS options ({@link TlsOptions#DEFAULTS} for {@code tls(true)})
     * @param host the host name or IP literal dialled, or null for a unix socket
     * @param port the port, or -1 for a unix socket
     * @param alloc the allocator
     * @return the connection's TLS
     * @throws IllegalArgumentException naming the TLS option that cannot be used
     */
    TlsConnection newConnection(TlsOptions options, @Nullable String host, int port, ByteBufAllocator alloc) {
        throw new UnsupportedOperationException("TLS is not implemented yet (options " + options.withDefaults(
                this.defaults.get()) + ", host " + host + ":" + port + ", allocator " + alloc + ")");
    }
}
