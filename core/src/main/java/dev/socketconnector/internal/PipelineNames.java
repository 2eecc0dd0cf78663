package dev.socketconnector.internal;

/**
 * Names of the handlers in a socket's pipeline. Head to tail: <pre>
 * [tls-sniffer] → tls (SslHandler, TLS only) → [idle] (IdleHandler, where set; it sees
 * every read, so a frame arriving slowly is not idle) → [frames] (a frame decoder, with a
 * framing other than none()) → events (SocketEventsHandler)
 * </pre> {@code timeout(seconds)} is a one-shot deadline scheduled on the event loop, not
 * an {@code IdleStateHandler}: SEMANTICS defines it as absolute, and I/O must not reset
 * it.
 */
final class PipelineNames {

    /** Reads plaintext handshake records before the SslHandler (TLS introspection). */
    static final String TLS_SNIFFER = "tls-sniffer";

    /** The SslHandler. */
    static final String TLS = "tls";

    /**
     * The read-idle timeout and the heartbeat ({@link IdleHandler}), where either is set.
     */
    static final String IDLE = "idle";

    /**
     * The framing's decoder (Netty's own frame decoders, {@link FrameDecoders}), where a
     * framing is set; frames are encoded by the write path ({@link OutboundBuffer}).
     */
    static final String FRAMES = "frames";

    /** Netty events to {@code SocketHandler} calls; the write path's accounting. */
    static final String EVENTS = "events";

    private PipelineNames() {
    }

}
