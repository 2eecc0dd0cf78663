package dev.socketconnector;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Opens sockets with Bun's {@code connect()} semantics and owns their event loops.
 * <p>
 * Thread-safe. Connect futures complete on the socket's event loop, right after
 * {@code open} has returned: dependent stages added without an executor run there too and
 * must not block (use the {@code *Async} variants for blocking work).
 */
public interface SocketConnector extends AutoCloseable {

    /**
     * {@return a connector with every default; see {@link SocketConnectorBuilder}}
     */
    static SocketConnector create() {
        return builder().build();
    }

    /**
     * {@return a builder for the defaults of every connect and the named endpoints}
     */
    static SocketConnectorBuilder builder() {
        return new SocketConnectorBuilder();
    }

    /**
     * Connects over TCP.
     * @param options the options
     * @param <D> the type of the socket's data
     * @return a future that completes with the socket after {@code open} has returned, or
     * fails with a {@link SocketConnectException}, the TLS failure, or what {@code open}
     * threw
     * @throws IllegalArgumentException if the TLS options cannot be used, or
     * {@code requestReply} is set without a framing (named in the message)
     * @throws IllegalStateException if the connector is closed
     */
    <D> CompletableFuture<Socket<D>> connect(TcpSocketConnectOptions<D> options);

    /**
     * Connects to a unix domain socket.
     * @param options the options
     * @param <D> the type of the socket's data
     * @return a future as {@link #connect(TcpSocketConnectOptions)}
     */
    <D> CompletableFuture<Socket<D>> connect(UnixSocketOptions<D> options);

    /**
     * Connects to an endpoint named on the builder.
     * @param endpointName the name
     * @param <D> the type of the socket's data, as the endpoint's handler expects
     * @return a future as {@link #connect(TcpSocketConnectOptions)}
     * @throws IllegalArgumentException if no endpoint has that name
     */
    <D> CompletableFuture<Socket<D>> connect(String endpointName);

    /**
     * Connects with these options and reports the socket as the named endpoint
     * ({@link Socket#endpoint()}, observers and metrics): what a managed endpoint uses
     * when its options change at run time (for example a reloaded SSL bundle). The name
     * need not be registered on the builder; the Spring layer's meters tag a name that is
     * neither registered nor a managed endpoint as {@code endpoint=other}, so invented
     * names cannot grow the number of meters.
     * @param endpointName the endpoint name
     * @param options the options
     * @param <D> the type of the socket's data
     * @return a future as {@link #connect(TcpSocketConnectOptions)}
     */
    <D> CompletableFuture<Socket<D>> connect(String endpointName, SocketConnectOptions<D> options);

    /**
     * {@return the current options of every named endpoint, by name, in the order they
     * were named}
     */
    java.util.Map<String, SocketConnectOptions<?>> endpoints();

    /**
     * Keeps the named endpoint connected from now on: the endpoint moves at once from
     * {@link EndpointState#STOPPED} to {@link EndpointState#CONNECTING}, and reconnects
     * with this policy's backoff after every connect failure or close until it is closed
     * (or this connector is). Each attempt uses the endpoint's current options (its
     * supplier is asked again), so each new socket gets the endpoint's configured
     * handler.
     * @param endpointName an endpoint named on the builder
     * @param policy the reconnect policy
     * @return the endpoint
     * @throws IllegalArgumentException if no endpoint has that name
     * @throws IllegalStateException if the endpoint is already managed or the connector
     * is closed
     */
    ManagedEndpoint manage(String endpointName, ReconnectPolicy policy);

    /**
     * Keeps the named endpoint connected with {@link ReconnectPolicy#DEFAULT}; see
     * {@link #manage(String, ReconnectPolicy)}.
     * @param endpointName an endpoint named on the builder
     * @return the endpoint
     */
    ManagedEndpoint manage(String endpointName);

    /**
     * Keeps the named endpoint connected, with listeners registered before its first
     * transition: they hear {@code STOPPED -> CONNECTING} too (on the calling thread,
     * before this method returns).
     * @param endpointName an endpoint named on the builder
     * @param policy the reconnect policy
     * @param listeners the listeners
     * @return the endpoint
     */
    ManagedEndpoint manage(String endpointName, ReconnectPolicy policy, EndpointStateListener... listeners);

    /**
     * {@return the managed endpoints not yet closed, in the order they were managed}
     */
    List<ManagedEndpoint> managedEndpoints();

    /**
     * {@return every socket that has opened and not yet closed}
     */
    List<Socket<?>> sockets();

    /**
     * Returns the open socket with this id.
     * @param id the id, as {@link Socket#id()}
     * @return the socket, or null
     */
    @Nullable Socket<?> socket(String id);

    /**
     * {@return the transport this connector's event loops use: {@link Transport#NIO},
     * {@link Transport#EPOLL} or {@link Transport#IO_URING}, never {@link Transport#AUTO}
     * (the one {@code AUTO} resolved to)}
     */
    Transport transport();

    /**
     * {@return the number of event loops (threads) this connector runs}
     */
    int eventLoops();

    /**
     * {@return the TLS provider of a TLS connect that does not choose one: the builder's
     * {@link TlsOptions} provider, with {@link TlsProvider#AUTO} resolved to
     * {@link TlsProvider#OPENSSL} when netty-tcnative's BoringSSL loads and to
     * {@link TlsProvider#JDK} otherwise} An explicit {@code OPENSSL} is returned as set,
     * even when BoringSSL cannot load (TLS connects then fail naming the provider).
     */
    TlsProvider tlsProvider();

    /**
     * {@return whether {@link #close()} has begun}
     */
    boolean isClosed();

    /**
     * Closes gracefully without blocking: closes every managed endpoint first, ends every
     * referenced socket (FIN after pending writes), closes unreferenced ones at once,
     * waits up to {@code timeout}, terminates what is left and shuts the event loops
     * down. Idempotent. A socket terminated with accepted bytes still unsent (its peer
     * stopped reading) is logged at WARN with its id, endpoint, target and the number of
     * bytes lost, and its {@code close} receives a {@link SocketTransportException}
     * ({@code ETIMEDOUT}) whose cause says the same. A connect that has not completed
     * when the loops stop fails with a {@link SocketConnectException}
     * ({@code ECONNABORTED}) whose cause names the closed connector; if its event loop
     * had already stopped, its handler sees nothing and the future fails on the closing
     * thread.
     * @param timeout how long to wait for ended sockets to close
     * @return a future that completes once every socket and event loop is closed
     */
    CompletableFuture<Void> closeAsync(Duration timeout);

    /**
     * Closes gracefully and waits: {@link #closeAsync(Duration)} with the builder's
     * shutdown timeout. Must not be called on an event-loop thread (it then starts the
     * close without waiting).
     */
    @Override
    void close();

}
