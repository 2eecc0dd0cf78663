package dev.socketconnector;

import org.jspecify.annotations.Nullable;

/**
 * What every connect's options have in common: the handler, the data, TLS and half-open
 * behaviour.
 *
 * @param <D> the type of the socket's data
 */
public sealed interface SocketConnectOptions<D> permits TcpSocketConnectOptions, UnixSocketOptions {

    /**
     * {@return the handler that receives the socket's events}
     */
    SocketHandler<D> socket();

    /**
     * {@return the socket's initial data, or null}
     */
    @Nullable D data();

    /**
     * {@return whether the socket stays open after the peer's FIN}
     */
    boolean allowHalfOpen();

    /**
     * {@return the TLS options, or null for a plain connection;
     * {@link TlsOptions#DEFAULTS} means the connector's defaults ({@code tls(true)})}
     */
    @Nullable TlsOptions tls();

    /**
     * {@return the framing set on these options, or null for the connector's default (see
     * {@link Framing})}
     */
    @Nullable Framing framing();

    /**
     * {@return the request/reply options that enable {@link Socket#request(byte[])}, or
     * null for none}
     */
    @Nullable RequestReplyOptions requestReply();

    /**
     * {@return the target as text, such as {@code "127.0.0.1:8080"} or
     * {@code "/tmp/app.sock"}}
     */
    String target();

}
