package dev.socketconnector.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.socketconnector.SocketConnector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the managed endpoints once the context has refreshed (first logging, at INFO,
 * the transport, TLS provider and number of event loops the connector loaded) and shuts
 * the connector down gracefully: stops reconnecting, ends every referenced socket (FIN
 * after pending writes), closes unreferenced ones at once, waits up to
 * {@code socket.connector.shutdown-timeout} (capped by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}), terminates the rest and shuts the
 * event loops down.
 * <p>
 * Its phase is below the web server's, so it starts before the server accepts requests
 * and stops after the server has drained them: request handlers can use sockets until the
 * end. Once stopped, the connector is closed and cannot start again.
 */
final class SocketConnectorLifecycle implements SmartLifecycle {

    /**
     * The phase: below {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}
     * ({@code DEFAULT_PHASE - 1024}) and {@code START_STOP_LIFECYCLE_PHASE}
     * ({@code DEFAULT_PHASE - 2048}).
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(SocketConnectorLifecycle.class);

    private final SocketConnector connector;

    private final @Nullable ManagedSocketEndpoints endpoints;

    private final Duration shutdownTimeout;

    private volatile boolean running;

    SocketConnectorLifecycle(SocketConnector connector, @Nullable ManagedSocketEndpoints endpoints,
            Duration shutdownTimeout) {
        this.connector = connector;
        this.endpoints = endpoints;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        if (this.running || this.connector.isClosed()) {
            return;
        }
        this.running = true;
        logger.info("socket-connector: transport " + this.connector.transport().name().toLowerCase(Locale.ROOT)
                + ", TLS provider " + this.connector.tlsProvider() + ", " + this.connector.eventLoops()
                + ((this.connector.eventLoops() == 1) ? " event loop" : " event loops"));
        if (this.endpoints != null) {
            this.endpoints.start();
        }
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        if (this.endpoints != null) {
            this.endpoints.stop();
        }
        this.connector.closeAsync(this.shutdownTimeout).whenComplete((result, failure) -> {
            if (failure != null) {
                logger.warn("Socket connector did not shut down cleanly", failure);
            }
            callback.run();
        });
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.endpoints != null) {
            this.endpoints.stop();
        }
        try {
            this.connector.closeAsync(this.shutdownTimeout)
                .get(this.shutdownTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
            logger.warn("Socket connector did not shut down cleanly", ex);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Returns how long a graceful shutdown waits before terminating the sockets that are
     * left.
     */
    Duration shutdownTimeout() {
        return this.shutdownTimeout;
    }

}
