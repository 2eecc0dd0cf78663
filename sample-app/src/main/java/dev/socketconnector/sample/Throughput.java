package dev.socketconnector.sample;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.socketconnector.autoconfigure.metrics.SocketConnectorMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples the starter's byte counters of the endpoint {@code echo}
 * ({@code socket.connector.bytes.read} and {@code socket.connector.bytes.written}, which
 * include closed sockets) once a second and keeps the rates for the page's chart.
 */
@Component
final class Throughput {

    /** Number of one-second samples kept. */
    static final int HISTORY = 120;

    private final MeterRegistry registry;

    private final Deque<Sample> samples = new ArrayDeque<>();

    private double lastRead = -1;

    private double lastWritten = -1;

    private long lastNanos;

    Throughput(MeterRegistry registry) {
        this.registry = registry;
    }

    @Scheduled(fixedRate = 1000)
    void sample() {
        double read = count(SocketConnectorMetrics.BYTES_READ);
        double written = count(SocketConnectorMetrics.BYTES_WRITTEN);
        long now = System.nanoTime();
        synchronized (this.samples) {
            if (this.lastRead >= 0) {
                double seconds = (now - this.lastNanos) / 1e9;
                if (this.samples.size() == HISTORY) {
                    this.samples.removeFirst();
                }
                this.samples.addLast(new Sample(System.currentTimeMillis(), (read - this.lastRead) / seconds,
                        (written - this.lastWritten) / seconds, (long) read, (long) written));
            }
            this.lastRead = read;
            this.lastWritten = written;
            this.lastNanos = now;
        }
    }

    /** Returns the last {@value #HISTORY} samples, oldest first. */
    List<Sample> history() {
        synchronized (this.samples) {
            return List.copyOf(this.samples);
        }
    }

    private double count(String meter) {
        FunctionCounter counter = this.registry.find(meter).tag("endpoint", "echo").functionCounter();
        return (counter != null) ? counter.count() : 0;
    }

    /**
     * One second of traffic on the endpoint {@code echo}.
     *
     * @param at when it was taken, in milliseconds since the epoch
     * @param readPerSecond plaintext bytes received per second
     * @param writtenPerSecond plaintext bytes written per second
     * @param bytesRead bytes received in total, closed sockets included
     * @param bytesWritten bytes written in total, closed sockets included
     */
    record Sample(long at, double readPerSecond, double writtenPerSecond, long bytesRead, long bytesWritten) {
    }

}
