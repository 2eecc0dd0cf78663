package dev.socketconnector.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.autoconfigure.EndpointStateChangedEvent;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import dev.socketconnector.autoconfigure.SocketEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import dev.socketconnector.autoconfigure.actuate.SocketsDescriptor;
import dev.socketconnector.autoconfigure.actuate.SocketsEndpoint;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The managed endpoint's Spring side against a real peer on 127.0.0.1: the event per
 * transition, the state gauge, the close reasons, the connection duration, the actuator's
 * endpoints array, and bounded meters.
 */
class ManagedEndpointMetersTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketConnectorAutoConfiguration.class,
                SocketConnectorMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
        .withUserConfiguration(Handlers.class);

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what)
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(5))
            .until(condition::getAsBoolean);
    }

    @Test
    void peerDropsAreEventsInOrderGaugesCloseReasonsAndDurations() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            this.contextRunner
                .withPropertyValues(ECHO + "connect-on-startup=true", ECHO + "hostname=127.0.0.1",
                        ECHO + "port=" + server.port(), ECHO + "reconnect.initial-backoff=20ms",
                        ECHO + "reconnect.max-backoff=100ms", ECHO + "reconnect.stable-after=0s",
                        ECHO + "offline-buffer-size=1KB")
                .run((context) -> {
                    Events events = context.getBean(Events.class);
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    int drops = 20;
                    for (int i = 0; i < drops; i++) {
                        PeerServer.Peer peer = server.accept();
                        int connected = i + 1;
                        await("connected #" + connected, () -> events.count(EndpointState.CONNECTED) == connected);
                        peer.close();
                    }
                    server.accept();
                    await("connected again", () -> events.count(EndpointState.CONNECTED) == drops + 1);
                    List<EndpointStateChangedEvent> seen = List.copyOf(events.events);
                    assertThat(seen.get(0).previous()).isEqualTo(EndpointState.STOPPED);
                    assertThat(seen.get(0).state()).isEqualTo(EndpointState.CONNECTING);
                    for (int i = 1; i < seen.size(); i++) {
                        assertThat(seen.get(i).previous()).as("no gap, no duplicate at %d", i)
                            .isEqualTo(seen.get(i - 1).state());
                        assertThat(seen.get(i).endpoint()).isSameAs(endpoint);
                    }
                    assertThat(events.count(EndpointState.BACKING_OFF)).isEqualTo(drops);
                    assertThat(endpoint.reconnects()).isEqualTo(drops);
                    assertThat(registry.get(SocketConnectorMetrics.ENDPOINT_STATE)
                        .tags("endpoint", "echo", "state", "connected")
                        .gauge()
                        .value()).isEqualTo(1);
                    assertThat(registry.get(SocketConnectorMetrics.ENDPOINT_STATE)
                        .tags("endpoint", "echo", "state", "backing-off")
                        .gauge()
                        .value()).isEqualTo(0);
                    await("ten peer closes counted",
                            () -> registry.find(SocketConnectorMetrics.CLOSES)
                                .tags("endpoint", "echo", "reason", "peer")
                                .counters()
                                .stream()
                                .mapToDouble((c) -> c.count())
                                .sum() == drops);
                    assertThat(registry.get(SocketConnectorMetrics.CONNECTION_DURATION)
                        .tags("endpoint", "echo")
                        .timer()
                        .count()).isEqualTo(drops);
                    SocketsDescriptor descriptor = new SocketsEndpoint(context.getBean(SocketConnector.class))
                        .sockets();
                    assertThat(descriptor.endpoints()).singleElement().satisfies((e) -> {
                        assertThat(e.name()).isEqualTo("echo");
                        assertThat(e.state()).isEqualTo("connected");
                        assertThat(e.target()).isEqualTo("127.0.0.1:" + server.port());
                        assertThat(e.reconnects()).isEqualTo(drops);
                    });
                    System.out.println("[managed-spring] " + seen.size() + " events over " + drops + " drops");
                });
        }
    }

    @Test
    void localAndShutdownClosesAreTheirOwnReasons() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            this.contextRunner
                .withPropertyValues("socket.connector.shutdown-timeout=200ms", ECHO + "hostname=127.0.0.1",
                        ECHO + "port=" + server.port())
                .run((context) -> {
                    SocketConnector connector = context.getBean(SocketConnector.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    Socket<Object> local = connector.connect(TcpSocketConnectOptions.builder()
                        .hostname("127.0.0.1")
                        .port(server.port())
                        .socket(new SocketHandler<>() {
                        })
                        .build()).get(10, TimeUnit.SECONDS);
                    server.accept();
                    local.terminate();
                    await("local close counted",
                            () -> registry.find(SocketConnectorMetrics.CLOSES)
                                .tags("endpoint", "none", "reason", "local")
                                .counter() != null);
                    connector.connect(TcpSocketConnectOptions.builder()
                        .hostname("127.0.0.1")
                        .port(server.port())
                        .socket(new SocketHandler<>() {
                        })
                        .build()).get(10, TimeUnit.SECONDS);
                    server.accept();
                    connector.close();
                    assertThat(registry.get(SocketConnectorMetrics.CLOSES)
                        .tags("endpoint", "none", "reason", "shutdown")
                        .counter()
                        .count()).isEqualTo(1);
                });
        }
    }

    @Test
    void aThousandSocketsOverFiveEndpointsStayUnderTwoHundredSeriesWithoutAddresses() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            SocketConnector[] holder = new SocketConnector[1];
            SocketConnectorMetrics metrics = new SocketConnectorMetrics(() -> holder[0], java.util.Map::of);
            var builder = SocketConnector.builder().observer(metrics.observer());
            for (int e = 0; e < 5; e++) {
                builder.endpoint("e" + e,
                        TcpSocketConnectOptions.builder()
                            .hostname("127.0.0.1")
                            .port(server.port())
                            .socket(new SocketHandler<>() {
                            })
                            .build());
            }
            try (SocketConnector connector = builder.build()) {
                holder[0] = connector;
                metrics.bindTo(registry);
                List<CompletableFuture<Socket<Object>>> connects = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    connects.add(connector.connect("e" + (i % 5)));
                }
                List<Socket<Object>> sockets = new ArrayList<>();
                for (CompletableFuture<Socket<Object>> connect : connects) {
                    sockets.add(connect.get(30, TimeUnit.SECONDS));
                }
                sockets.forEach(Socket::terminate);
                await("closed", () -> connector.sockets().isEmpty());
                Set<String> series = new HashSet<>();
                for (Meter meter : registry.getMeters()) {
                    series.add(meter.getId().toString());
                    for (Tag tag : meter.getId().getTags()) {
                        assertThat(tag.getValue()).as("tag %s of %s", tag, meter.getId())
                            .doesNotContain("127.0.0.1")
                            .doesNotContain(Integer.toString(server.port()));
                    }
                }
                System.out.println("[managed-spring] 1000 sockets over 5 endpoints: " + series.size() + " series");
                assertThat(series.size()).isLessThan(200);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        @Bean
        @SocketEndpoint("echo")
        SocketHandler<Object> echoHandler() {
            return new SocketHandler<>() {
            };
        }

        @Bean
        Events events() {
            return new Events();
        }

    }

    static class Events implements ApplicationListener<EndpointStateChangedEvent> {

        final List<EndpointStateChangedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(EndpointStateChangedEvent event) {
            this.events.add(event);
        }

        long count(EndpointState state) {
            return this.events.stream().filter((e) -> e.state() == state).count();
        }

    }

}
