package dev.socketconnector.sample;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.socketconnector.autoconfigure.EndpointStateChangedEvent;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams every state change of the managed endpoints to the page
 * ({@code GET /api/events}, server-sent events named {@code state}), and keeps the last
 * 50 ({@code GET /api/transitions}).
 * <p>
 * {@link EndpointStateChangedEvent} arrives on a connector event-loop thread, which must
 * not block: the event is recorded there and sent to the browsers from one sender thread
 * of this class.
 */
@RestController
@RequestMapping("/api")
final class EndpointEvents {

    private static final int KEPT = 50;

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

    private final Deque<Transition> recent = new ArrayDeque<>();

    private final ExecutorService sender = Executors.newSingleThreadExecutor((task) -> {
        Thread thread = new Thread(task, "sample-endpoint-events");
        thread.setDaemon(true);
        return thread;
    });

    @EventListener
    void stateChanged(EndpointStateChangedEvent event) {
        Throwable cause = event.cause();
        Transition transition = new Transition(Instant.now(), event.endpoint().name(), event.previous().value(),
                event.state().value(), (cause != null) ? String.valueOf(cause.getMessage()) : null);
        synchronized (this.recent) {
            this.recent.addLast(transition);
            while (this.recent.size() > KEPT) {
                this.recent.removeFirst();
            }
        }
        this.sender.execute(() -> {
            for (SseEmitter emitter : this.emitters) {
                try {
                    emitter.send(SseEmitter.event().name("state").data(transition));
                }
                catch (IOException | IllegalStateException ex) {
                    this.emitters.remove(emitter);
                }
            }
        });
    }

    @GetMapping("/events")
    SseEmitter events() {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> this.emitters.remove(emitter));
        emitter.onError((error) -> this.emitters.remove(emitter));
        this.emitters.add(emitter);
        return emitter;
    }

    @GetMapping("/transitions")
    List<Transition> transitions() {
        synchronized (this.recent) {
            return List.copyOf(this.recent);
        }
    }

    @PreDestroy
    void stop() {
        this.emitters.forEach(SseEmitter::complete);
        this.sender.shutdownNow();
    }

    /**
     * One state change.
     *
     * @param at when the page's server heard it
     * @param endpoint the endpoint name
     * @param previous the state before ({@code EndpointState.value()})
     * @param state the state after
     * @param cause the cause's message, or null
     */
    record Transition(Instant at, String endpoint, String previous, String state, @Nullable String cause) {
    }

}
