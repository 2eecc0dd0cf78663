package dev.socketconnector;

import java.time.Duration;

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

    /**
     * {@return the read-idle timeout of this connect: null for the connector's default
     * ({@link SocketConnectorBuilder#readIdleTimeout(Duration)}), zero for none}
     */
    @Nullable Duration readIdleTimeout();

    /**
     * {@return the heartbeat interval of this connect: null for the connector's default
     * ({@link SocketConnectorBuilder#heartbeat(Duration, byte[])}), zero for none}
     */
    @Nullable Duration heartbeatInterval();

    /**
     * {@return a copy of the heartbeat payload of this connect, or null when
     * {@link #heartbeatInterval()} is null}
     */
    byte @Nullable [] heartbeatPayload();

}
