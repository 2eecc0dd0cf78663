package dev.socketconnector;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A connected socket, as the {@code Socket} Bun's {@code connect()} resolves to.
 * <p>
 * <b>Threads.</b> Every method is safe to call from any thread. Writes from one thread
 * keep their order; writes are flushed at the end of the current event-loop task (small
 * writes coalesce into one system call), or at once by {@link #flush()}. Calls made
 * outside the socket's event loop are handed to it; getters return the latest value
 * (addresses and ports are cached when the socket opens and stay readable after close).
 * Handler callbacks run on the event loop: see {@link SocketHandler}.
 * <p>
 * <b>TLS members</b> return null on a plain socket, or before the handshake has produced
 * the value. A member that the active TLS provider cannot supply throws
 * {@link UnsupportedOperationException} naming the provider and what would supply it.
 *
 * @param <D> the type of the socket's data
 */
public interface Socket<D> {

    // ---- identity and state (extras, used by the Spring layer and Actuator) ----

    /**
     * {@return an identifier unique within the connector, such as {@code "7"}}
     */
    String id();

    /**
     * {@return the name of the endpoint this socket was opened for, or null when opened
     * from options}
     */
    @Nullable String endpoint();

    /**
     * {@return when the socket opened, or null if it never opened}
     */
    @Nullable Instant openedAt();

    // ---- state ----

    /**
     * {@return the socket's state: {@link ReadyState#OPEN} from the moment user code can
     * see it}
     */
    ReadyState readyState();

    /**
     * {@return the number of bytes accepted by {@code write} and {@code end} (plaintext
     * bytes for TLS)}
     */
    long bytesWritten();

    /**
     * {@return the number of bytes delivered to {@code data} (plaintext bytes for TLS)}
     */
    long bytesRead();

    /**
     * {@return the socket's data: the {@code data} option until {@link #data(Object)}
     * replaces it}
     */
    @Nullable D data();

    /**
     * Replaces the socket's data.
     * @param data the new value, may be null
     */
    void data(@Nullable D data);

    /**
     * {@return the server this socket was accepted by: always null for a socket from
     * {@code connect()}}
     */
    @Nullable SocketListener listener();

    /**
     * {@return the local address in its shortest text form ({@code "127.0.0.1"},
     * {@code "::1"}); null for unix sockets}
     */
    @Nullable String localAddress();

    /**
     * {@return the local address family; null for unix sockets}
     */
    @Nullable IpFamily localFamily();

    /**
     * {@return the local port; -1 for unix sockets}
     */
    int localPort();

    /**
     * {@return the remote address in its shortest text form; null for unix sockets}
     */
    @Nullable String remoteAddress();

    /**
     * {@return the remote address family; null for unix sockets}
     */
    @Nullable IpFamily remoteFamily();

    /**
     * {@return the remote port; -1 for unix sockets}
     */
    int remotePort();

    // ---- I/O and control ----

    /**
     * Writes bytes, as many as the outbound buffer accepts now.
     * <p>
     * The buffer takes bytes until it reaches the high-water mark, so a write can be
     * partial. Bytes not accepted are not sent: keep them and retry on
     * {@link SocketHandler#drain(Socket) drain}, which fires once the buffer has fallen
     * below the low-water mark. A write from a thread other than the socket's event loop
     * is also charged its bookkeeping (about 160 bytes per write) against the mark, so
     * many tiny writes cannot hold more memory than the mark allows. On a TLS socket, a
     * write of 16 KiB or more that does not fit whole takes whole TLS records (multiples
     * of 16 KiB), none when less than one fits while the buffer holds more than the
     * low-water mark: chunks that are multiples of 16 KiB then reach the encryption cut
     * on record boundaries, without a copy. Accepted bytes are delivered in order before
     * the FIN of {@code end()} or {@code shutdown()}, or the socket reports an error: a
     * write that loses a race with {@code end()}, {@code shutdown()}, the peer's FIN or a
     * failure on another thread returns -1 instead of accepting bytes that would not be
     * sent. Inside {@code error} the socket is already closing. With a {@link Framing}
     * other than {@code none()}, each call sends one frame, all or nothing (see
     * {@link Framing}).
     * @param data the bytes; copied, so the array may be reused once this returns
     * @return the number of bytes accepted: {@code data.length}, fewer, 0 when the buffer
     * is full, or -1 after {@code end()}, {@code shutdown()}, a failure or close
     */
    int write(byte[] data);

    /**
     * Writes part of an array; see {@link #write(byte[])}.
     * @param data the bytes
     * @param byteOffset the first byte to write
     * @param byteLength how many bytes to write
     * @return the number of bytes accepted, 0 or -1 as {@link #write(byte[])}
     * @throws IndexOutOfBoundsException naming {@code byteOffset} or {@code byteLength}
     * when out of range
     */
    int write(byte[] data, int byteOffset, int byteLength);

    /**
     * Writes a string's UTF-8 bytes; see {@link #write(byte[])}.
     * @param data the text
     * @return the number of UTF-8 bytes accepted, 0 or -1
     */
    int write(String data);

    /**
     * Writes the remaining bytes of a buffer and advances its position by the number
     * accepted; see {@link #write(byte[])}.
     * @param data the bytes from its position to its limit
     * @return the number of bytes accepted, 0 or -1
     */
    int write(ByteBuffer data);

    /**
     * Writes what fits, then sends FIN after everything accepted has been flushed, then
     * closes once the peer's FIN has come, or a second after ours when the peer sends
     * none (closing at once with input not yet read would reset the connection, and a
     * reset makes the peer's kernel discard what we sent that the peer has not read yet).
     * A reply arriving after the FIN is read and not delivered: use {@link #shutdown()}
     * to keep reading. The same on TLS (Bun half-closes a TLS socket on {@code end()}, so
     * a reply still arrives there). The socket then reports {@link ReadyState#CLOSING},
     * and {@code close} runs later on the event loop (Bun runs it inside the call). If
     * the socket has not closed within the connector's shutdown timeout (10 s when that
     * is zero) because the peer has stopped reading, it is reset and {@code close} gets a
     * {@link SocketTransportException} with code {@code ETIMEDOUT} whose cause says the
     * peer stopped reading and how many bytes were not sent.
     * @param data the final bytes
     * @return the number of bytes of {@code data} accepted, or -1 if already ended or
     * closed
     */
    int end(byte[] data);

    /**
     * Ends with part of an array; see {@link #end(byte[])}.
     * @param data the bytes
     * @param byteOffset the first byte to write
     * @param byteLength how many bytes to write
     * @return the number of bytes accepted, or -1 if already ended or closed
     */
    int end(byte[] data, int byteOffset, int byteLength);

    /**
     * Ends with a string's UTF-8 bytes; see {@link #end(byte[])}.
     * @param data the text
     * @return the number of bytes accepted, or -1 if already ended or closed
     */
    int end(String data);

    /**
     * Sends FIN after everything accepted has been flushed, then closes, on TCP and TLS
     * alike; {@code close} runs later on the event loop, never inside this call. See
     * {@link #end(byte[])}.
     */
    void end();

    /**
     * Flushes accepted bytes to the network now instead of at the end of the event-loop
     * task.
     */
    void flush();

    // ---- request/reply (an extra: RequestReplyOptions) ----

    /**
     * Sends {@code payload} as one frame, all or nothing, and returns the future of the
     * reply frame's payload; needs the {@code requestReply} option
     * ({@link RequestReplyOptions}, which says how replies are matched). A frame that
     * completes a request does not reach {@link SocketHandler#data(Socket, byte[]) data};
     * every other frame does.
     * <p>
     * Safe from any thread; concurrent pipelined requests are written in the order their
     * replies are expected. The future completes exactly once:
     * <ul>
     * <li>with the reply, on the socket's event-loop thread: dependent actions that run
     * there (non-async {@code thenAccept}, ...) must not block;</li>
     * <li>with a {@link java.util.concurrent.TimeoutException} naming the timeout and the
     * socket when no reply came in time (on the event loop);</li>
     * <li>at once (already failed when returned), with a
     * {@link java.util.concurrent.RejectedExecutionException} when {@code maxInFlight}
     * requests are pending or the outbound buffer cannot take the frame now (the write
     * returned 0: retry after {@code drain}), an {@link IllegalArgumentException} when
     * the framing cannot send the payload or, with a correlation id, the payload's id is
     * null or already pending, or a {@link java.nio.channels.ClosedChannelException} when
     * the socket is closing or closed;</li>
     * <li>when the socket closes with requests pending, with close's error (such as a
     * {@link SocketTransportException}), or a
     * {@link java.nio.channels.ClosedChannelException} saying the socket closed before
     * the reply, on the event loop before {@code close} runs.</li>
     * </ul>
     * Cancelling the future frees its slot with a correlation id; a cancelled pipelined
     * request keeps its place as a timed-out one does (its reply then goes to
     * {@code data}).
     * @param payload the request frame's payload; copied
     * @return the future of the reply's payload
     * @throws IllegalStateException when the socket has no {@code requestReply} option
     */
    CompletableFuture<byte[]> request(byte[] payload);

    /**
     * Sends the string as UTF-8, as {@link #request(byte[])}.
     * @param payload the request frame's payload
     * @return the future of the reply's payload
     * @throws IllegalStateException when the socket has no {@code requestReply} option
     */
    CompletableFuture<byte[]> request(String payload);

    /**
     * Half-closes: FIN (on TLS close_notify first) after pending writes; the socket stays
     * readable and the peer's FIN (or close_notify) then closes it. If the peer's end
     * already came ({@code allowHalfOpen}), the socket closes once the FIN is sent: a
     * socket with both directions shut always closes.
     */
    void shutdown();

    /**
     * Half-closes one side.
     * @param halfClose true to shut the read side (then {@code end} and {@code close}
     * follow, as in Bun, each in its own event-loop task after this call returns, never
     * inside it); false for {@link #shutdown()}
     */
    void shutdown(boolean halfClose);

    /**
     * Resets the connection (RST, SO_LINGER 0) and closes now; pending writes are
     * discarded. The socket reports {@link ReadyState#CLOSING} until the channel has
     * closed; {@code close} runs later on the event loop (Bun runs it inside the call).
     */
    void terminate();

    /**
     * Arms a one-shot deadline {@code seconds} from now; when it passes, {@code timeout}
     * fires and the socket closes. Calling again re-arms it; 0 cancels it. Precision is
     * within 100 ms (Bun rounds to 4 s).
     * @param seconds seconds from now, or 0 to cancel
     * @throws IllegalArgumentException if {@code seconds} is negative
     */
    void timeout(int seconds);

    /**
     * Sets SO_KEEPALIVE, and with it TCP_KEEPIDLE from the delay, TCP_KEEPINTVL 1 s and
     * TCP_KEEPCNT 10.
     * @param enable whether to enable keep-alive
     * @param initialDelay the idle time before the first probe, in milliseconds
     * @return true when applied; false when closed or not applicable (unix sockets)
     */
    boolean setKeepAlive(boolean enable, int initialDelay);

    /**
     * Sets SO_KEEPALIVE with no initial delay; see {@link #setKeepAlive(boolean, int)}.
     * @param enable whether to enable keep-alive
     * @return true when applied
     */
    boolean setKeepAlive(boolean enable);

    /**
     * Disables keep-alive, as Bun's {@code setKeepAlive()} with no arguments.
     * @return true when applied
     */
    boolean setKeepAlive();

    /**
     * Sets TCP_NODELAY.
     * @param noDelay whether to disable Nagle's algorithm
     * @return true when applied (a no-op that returns true on unix sockets, as Bun);
     * false when closed
     */
    boolean setNoDelay(boolean noDelay);

    /**
     * Enables TCP_NODELAY.
     * @return true when applied
     */
    boolean setNoDelay();

    /** Lets this socket keep the JVM alive again (the default). */
    void ref();

    /**
     * Stops this socket from keeping the JVM alive; graceful shutdown then closes it
     * without waiting.
     */
    void unref();

    /**
     * Sends this socket's later events to another handler.
     * @param handler the new handler
     */
    void reload(SocketHandler<D> handler);

    // ---- TLS ----

    /**
     * {@return the ALPN protocol chosen: null before the handshake and on a plain socket,
     * {@code ""} when none}
     */
    @Nullable String alpnProtocol();

    /**
     * {@return whether the peer's certificate was verified; false on a plain socket and
     * before the handshake}
     */
    boolean authorized();

    /**
     * {@return why the peer was not authorized (a {@link TlsAuthorizationException}), or
     * null}
     */
    @Nullable Throwable getAuthorizationError();

    /**
     * {@return the local certificate, or null when none was configured or on a plain
     * socket}
     */
    @Nullable PeerCertificate getCertificate();

    /**
     * {@return the peer's leaf certificate, or null on a plain socket or before the
     * handshake}
     */
    @Nullable PeerCertificate getPeerCertificate();

    /**
     * Returns the peer's certificate. The flag has Node's meaning ({@code true}: with the
     * chain); in Bun it means "abbreviated", so a Bun program ported as is gets the
     * opposite.
     * @param detailed whether to link the issuer chain through
     * {@link PeerCertificate#issuerCertificate()}
     * @return the certificate, or null on a plain socket or before the handshake
     */
    @Nullable PeerCertificate getPeerCertificate(boolean detailed);

    /**
     * {@return the peer's leaf certificate, or null}
     */
    @Nullable X509Certificate getPeerX509Certificate();

    /**
     * {@return the local certificate, or null}
     */
    @Nullable X509Certificate getX509Certificate();

    /**
     * {@return the negotiated cipher, or null on a plain socket or before the handshake}
     */
    @Nullable CipherNameAndProtocol getCipher();

    /**
     * {@return the key exchange, {@link EphemeralKeyInfo#NONE} if none was ephemeral,
     * null on a plain socket}
     */
    @Nullable EphemeralKeyInfo getEphemeralKeyInfo();

    /**
     * Returns the signature algorithms both sides support, in Node's form
     * ({@code "ECDSA+SHA256"}), when the server asked for a client certificate (as Node
     * does; Bun returns an empty list there); an empty list otherwise; null on a plain
     * socket or before the handshake. On TLS 1.3 with the OPENSSL provider the
     * CertificateRequest is encrypted and is read when this is first called, so after
     * close this answers null unless it was called while the socket was open (Node's
     * answers null after close).
     * @return the shared signature algorithms, or null
     */
    @Nullable List<String> getSharedSigalgs();

    /**
     * {@return this side's Finished message: null on TLS 1.3 (as Node), on a plain
     * socket, or before the handshake}
     */
    byte @Nullable [] getTLSFinishedMessage();

    /**
     * {@return the peer's Finished message: null on TLS 1.3, on a plain socket, or before
     * the handshake}
     */
    byte @Nullable [] getTLSPeerFinishedMessage();

    /**
     * {@return the session ticket the server issued, or null when none was issued or on a
     * plain socket; on TLS 1.3 with the OPENSSL provider the ticket is read (decrypted)
     * when this is first called, so after close it is null unless this was called while
     * the socket was open (Node's answers null after close)}
     */
    byte @Nullable [] getTLSTicket();

    /**
     * {@return the negotiated version ({@code "TLSv1.3"}), or null on a plain socket or
     * before the handshake}
     */
    @Nullable String getTLSVersion();

    /**
     * {@return whether the handshake resumed an earlier session; false on a plain socket}
     */
    boolean isSessionReused();

    /**
     * Exports keying material (RFC 5705 / RFC 8446 section 7.5).
     * @param length the number of bytes
     * @param label the label
     * @param context the context: null means no context, an empty array an empty one
     * (they differ on TLS 1.2)
     * @return the bytes, or null on a plain socket
     * @throws IllegalStateException before the handshake
     */
    byte @Nullable [] exportKeyingMaterial(int length, String label, byte @Nullable [] context);

    /**
     * Refuses any later renegotiation requested by the peer (TLS 1.2); a no-op on a plain
     * socket.
     */
    void disableRenegotiation();

    /**
     * Caps the plaintext bytes per TLS record.
     * @param size the cap, 512 to 16384
     * @return true when applied; false out of range or on a plain socket
     */
    boolean setMaxSendFragment(int size);

}
