package dev.socketconnector.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.socketconnector.Socket;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page's API: {@code POST /api/send} writes a message to the endpoint {@code echo}
 * and answers its echo; {@code GET /api/stats} answers the endpoint's state, recent round
 * trips and throughput.
 * <p>
 * A request thread waits for the echo (bounded by {@code sample.echo.reply-timeout}); the
 * event loop never waits.
 */
@RestController
@RequestMapping("/api")
final class EchoController {

    /** Longest message accepted, in characters. */
    static final int MAX_MESSAGE = 1000;

    private final SocketEndpointRegistry endpoints;

    private final EchoHandler handler;

    private final Throughput throughput;

    private final Duration replyTimeout;

    private final String target;

    EchoController(SocketEndpointRegistry endpoints, EchoHandler handler, Throughput throughput,
            @Value("${sample.echo.reply-timeout:5s}") Duration replyTimeout,
            @Value("${socket.connector.endpoints.echo.hostname}:${socket.connector.endpoints.echo.port}") String target) {
        this.endpoints = endpoints;
        this.handler = handler;
        this.throughput = throughput;
        this.replyTimeout = replyTimeout;
        this.target = target;
    }

    @PostMapping("/send")
    ResponseEntity<?> send(@RequestBody SendRequest request) throws InterruptedException {
        String message = (request.message() != null) ? request.message().replaceAll("[\\r\\n]+", " ").strip() : "";
        if (message.isEmpty() || message.length() > MAX_MESSAGE) {
            return problem(HttpStatus.BAD_REQUEST, "message must have 1 to " + MAX_MESSAGE + " characters");
        }
        ManagedEndpoint echo = echo();
        Socket<?> socket = echo.socket();
        if (socket == null) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "endpoint 'echo' is not connected (" + echo.state() + ")");
        }
        try {
            RoundTrip reply = this.handler.send(socket, message)
                .get(this.replyTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return ResponseEntity.ok(reply);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof TimeoutException) {
                return problem(HttpStatus.GATEWAY_TIMEOUT, "no echo within " + this.replyTimeout.toMillis() + " ms");
            }
            Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
            return problem(HttpStatus.SERVICE_UNAVAILABLE, String.valueOf(cause.getMessage()));
        }
        catch (TimeoutException ex) {
            return problem(HttpStatus.GATEWAY_TIMEOUT, "no echo within " + this.replyTimeout.toMillis() + " ms");
        }
    }

    @GetMapping("/stats")
    Stats stats() {
        ManagedEndpoint echo = echo();
        Socket<?> socket = echo.socket();
        Throwable error = echo.lastError();
        EndpointStatus status = new EndpointStatus(echo.name(), this.target, echo.state().name(),
                (socket != null) ? socket.id() : null, echo.reconnects(),
                (error != null) ? String.valueOf(error.getMessage()) : null);
        return new Stats(status, this.handler.history(), this.throughput.history());
    }

    private ManagedEndpoint echo() {
        ManagedEndpoint echo = this.endpoints.endpoint("echo");
        if (echo == null) {
            throw new IllegalStateException("socket.connector.endpoints.echo.connect-on-startup must be true");
        }
        return echo;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.of(ProblemDetail.forStatusAndDetail(status, detail)).build();
    }

    /**
     * The body of {@code POST /api/send}.
     *
     * @param message the text to send; line breaks become spaces
     */
    record SendRequest(@Nullable String message) {
    }

    /**
     * The body of {@code GET /api/stats}.
     *
     * @param endpoint the endpoint's state
     * @param roundTrips recent round trips, oldest first
     * @param throughput recent one-second traffic samples, oldest first
     */
    record Stats(EndpointStatus endpoint, List<RoundTrip> roundTrips, List<Throughput.Sample> throughput) {
    }

    /**
     * The managed endpoint {@code echo} as the page shows it.
     *
     * @param name the endpoint name
     * @param target where it connects, host:port
     * @param state the {@link dev.socketconnector.EndpointState} name
     * @param socketId the open socket's id, or null while not connected
     * @param reconnects connect attempts after the first
     * @param lastError why it is not connected, or null
     */
    record EndpointStatus(String name, String target, String state, @Nullable String socketId, long reconnects,
            @Nullable String lastError) {
    }

}
