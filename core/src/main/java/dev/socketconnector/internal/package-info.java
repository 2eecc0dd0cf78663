/**
 * The Netty implementation of the connector and its sockets. Not a public API: the API's
 * factories reach it through {@link dev.socketconnector.internal.NettySocketConnector};
 * TLS lives in {@code dev.socketconnector.internal.tls}, which never imports this
 * package, and is seen here only through {@code TlsConnection}
 * ({@code TlsConnection.PLAIN} on a plain socket).
 *
 * <h2>Who does what</h2>
 * <ul>
 * <li>{@code NettySocketConnector}: the event loops, the live sockets, the connect
 * (resolve, register, dial) and graceful close; {@code initPipeline} is the one place
 * that builds a channel's pipeline.</li>
 * <li>{@code NettySocket}: one socket's identity, its state
 * ({@code CONNECTING → OPEN → CLOSING → CLOSED}, forward only, changed only by
 * {@code advance}, a CAS) and the control methods users call; {@code TlsSocketMembers}
 * (its base class) answers the TLS members; {@code SocketAddresses} turns its channel's
 * addresses into the getters' answers.</li>
 * <li>{@code OutboundBuffer}: the write path and drain, both halves; made by a socket's
 * first write (or when its output closes).</li>
 * <li>{@code ConnectAttempt}: the connect's deadline, failure, handshake outcome, open
 * and future.</li>
 * <li>{@code SocketEventsHandler}: Netty's inbound events to {@code SocketHandler} calls
 * through one {@code dispatch}.</li>
 * <li>{@code SocketClosing}: ending and closing (the peer's end, {@code end},
 * {@code shutdown}, {@code terminate}, the end deadline, the {@code timeout} deadline,
 * close's error and reason, close fired once).</li>
 * <li>{@code Dialer}: registers and dials the channel itself for one IP address or a unix
 * path, through Netty's {@code Bootstrap} for a race; {@code AddressRace}: one TCP
 * connect across every address of its target (resolved at each attempt by
 * {@code HostResolverGroup} or {@code DnsResolvers}), RFC 8305 Happy Eyeballs, the winner
 * gets the socket's pipeline.</li>
 * <li>{@code IdleHandler}: the read-idle timeout and the heartbeat (loop timers).</li>
 * <li>{@code FrameCodec} and {@code FrameDecoders}: framing, the encoder used by
 * {@code OutboundBuffer} and the decoder in the pipeline; {@code PendingRequests}:
 * request/reply matching.</li>
 * <li>{@code DefaultManagedEndpoint}: a managed endpoint's connects and backoff;
 * {@code EndpointListeners} delivers its transitions to its state listeners,
 * {@code OfflineBuffer} holds what is written while it has no socket.</li>
 * </ul>
 *
 * <h2>Pipeline</h2> Head to tail ({@code PipelineNames}): {@code tls-sniffer} and
 * {@code tls} (the {@code SslHandler}) on a TLS socket, {@code idle} where a read-idle
 * timeout or heartbeat is set, {@code frames} with a framing, then {@code events}.
 * Nothing else; {@code timeout(seconds)} is a deadline scheduled on the loop, not a
 * handler.
 *
 * <h2>Write path</h2> {@code write} reserves bytes below the high-water mark (on the loop
 * against what Netty holds; elsewhere by one CAS that also counts what is queued, each
 * queued write charged {@code OutboundBuffer.QUEUED_WRITE_OVERHEAD}), copies them into
 * one pooled buffer, and either writes it to the {@code events} context (on the loop) or
 * offers it to a queue made by the first cross-thread write, which one loop task drains
 * in order. Writes inside a callback are flushed once when the outermost callback (or
 * read batch) returns; other loop writes at the end of the current loop task. A short
 * write asks for {@code drain}, which fires once, when nothing is queued and Netty holds
 * at most the low-water mark. {@code end}, {@code shutdown} and close close the output
 * first: later writes return -1, and the FIN (or close_notify) follows every byte already
 * accepted.
 *
 * <h2>Connect phases</h2> register → resolve → dial (every address, staggered) → (TLS:
 * handshake) → {@code open}, under one deadline. A failed dial fires {@code connectError}
 * only; a failed or refused handshake fires {@code handshake(false)} then {@code close};
 * an {@code open} that throws fires {@code error} then {@code close}; each then fails the
 * connect future, once.
 *
 * <h2>Threading</h2> One socket's callbacks run on its channel's event loop, one at a
 * time, and no lock is held while they run. The handler's and the connect attempt's
 * fields are confined to that loop, and so is everything in {@code OutboundBuffer} but
 * the reservation counters and the queue. {@code NettySocket}'s public methods are safe
 * from any thread: they read volatile state and hand loop work to the loop
 * ({@code execute}). Nothing here blocks the loop.
 */
@NullMarked
package dev.socketconnector.internal;

import org.jspecify.annotations.NullMarked;
