package dev.socketconnector.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.autoconfigure.SocketEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The handler of the endpoint {@code echo}: writes numbered lines ({@code "ping 7 ..."},
 * {@code "msg 8 hello"}), matches each echoed line to its write and records the
 * round-trip time.
 * <p>
 * The endpoint has line framing ({@code socket.connector.endpoints.echo.framing.type:
 * lines} in {@code application.yaml}): {@code data} receives one whole line per call,
 * without its line end, and each {@code write} sends one line, all or nothing.
 * <p>
 * Callbacks run on the socket's event loop and never block; {@link #send} and
 * {@link #ping} may be called from any thread and return a future that the reply
 * completes.
 */
@Component
@SocketEndpoint("echo")
public final class EchoHandler implements SocketHandler<Object> {

    private static final Log logger = LogFactory.getLog(EchoHandler.class);

    /** Number of round trips kept for the page's chart. */
    static final int HISTORY = 120;

    private final Duration replyTimeout;

    private final AtomicLong sequence = new AtomicLong();

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    private final Deque<RoundTrip> history = new ArrayDeque<>();

    /**
     * Creates the handler.
     * @param replyTimeout how long a write waits for its echo
     * ({@code sample.echo.reply-timeout})
     */
    public EchoHandler(@Value("${sample.echo.reply-timeout:5s}") Duration replyTimeout) {
        this.replyTimeout = replyTimeout;
    }

    @Override
    public void open(Socket<Object> socket) {
        logger.info("Echo socket " + socket.id() + " open: " + socket.localAddress() + ":" + socket.localPort() + " -> "
                + socket.remoteAddress() + ":" + socket.remotePort() + ", " + socket.getTLSVersion());
    }

    @Override
    public void data(Socket<Object> socket, byte[] line) {
        received(socket, new String(line, StandardCharsets.UTF_8));
    }

    @Override
    public void close(Socket<Object> socket, @Nullable Throwable error) {
        logger.info("Echo socket " + socket.id() + " closed" + ((error != null) ? ": " + error : ""));
        Iterator<Pending> waiting = this.pending.values().iterator();
        while (waiting.hasNext()) {
            Pending write = waiting.next();
            if (write.socketId().equals(socket.id())) {
                waiting.remove();
                write.reply()
                    .completeExceptionally(
                            new IllegalStateException("socket " + socket.id() + " closed before the echo arrived"));
            }
        }
    }

    /**
     * Writes a message and returns its echo.
     * @param socket the endpoint's open socket
     * @param text the message, one line
     * @return the round trip, or a future failed with a
     * {@link java.util.concurrent.TimeoutException} after
     * {@code sample.echo.reply-timeout}, or when the socket closes or refuses the write
     */
    public CompletableFuture<RoundTrip> send(Socket<?> socket, String text) {
        return write(socket, "message", "msg", text);
    }

    /**
     * Writes a heartbeat line and returns its echo, as {@link #send}.
     * @param socket the endpoint's open socket
     * @return the round trip
     */
    public CompletableFuture<RoundTrip> ping(Socket<?> socket) {
        return write(socket, "ping", "ping", Long.toString(System.currentTimeMillis()));
    }

    /** Returns the last {@value #HISTORY} round trips, oldest first. */
    public List<RoundTrip> history() {
        synchronized (this.history) {
            return List.copyOf(this.history);
        }
    }

    private CompletableFuture<RoundTrip> write(Socket<?> socket, String kind, String prefix, String text) {
        long id = this.sequence.incrementAndGet();
        // one frame: the line framing adds the line end
        byte[] line = (prefix + " " + id + " " + text).getBytes(StandardCharsets.UTF_8);
        Pending write = new Pending(kind, System.nanoTime(), socket.id(), new CompletableFuture<>());
        this.pending.put(id, write);
        CompletableFuture<RoundTrip> reply = write.reply()
            .orTimeout(this.replyTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((result, failure) -> this.pending.remove(id));
        int accepted;
        try {
            accepted = socket.write(line);
        }
        catch (IllegalArgumentException ex) {
            // longer than framing.max-length
            write.reply().completeExceptionally(ex);
            return reply;
        }
        if (accepted != line.length) {
            // -1: the socket is ending or closed; 0: its write buffer is full
            // (backpressure): a framed write takes the whole line or nothing
            write.reply()
                .completeExceptionally(new IllegalStateException("socket " + socket.id()
                        + ((accepted < 0) ? " is closed" : " is not writable (write buffer full)")));
        }
        return reply;
    }

    private void received(Socket<Object> socket, String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2) {
            return;
        }
        Pending write;
        try {
            write = this.pending.remove(Long.parseLong(parts[1]));
        }
        catch (NumberFormatException ex) {
            return;
        }
        if (write == null) {
            return;
        }
        double millis = (System.nanoTime() - write.sentNanos()) / 1_000_000.0;
        RoundTrip roundTrip = new RoundTrip(write.kind(), (parts.length > 2) ? parts[2] : "",
                System.currentTimeMillis(), millis, socket.id());
        synchronized (this.history) {
            if (this.history.size() == HISTORY) {
                this.history.removeFirst();
            }
            this.history.addLast(roundTrip);
        }
        write.reply().complete(roundTrip);
    }

    private record Pending(String kind, long sentNanos, String socketId, CompletableFuture<RoundTrip> reply) {
    }

}
