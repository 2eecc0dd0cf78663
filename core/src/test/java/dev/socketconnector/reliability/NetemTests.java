package dev.socketconnector.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packet loss and delay: a network namespace joined to this one by a veth pair (jumbo MTU) in a private /30
 * that exists only on the pair, with {@code tc netem loss 5% delay 50ms} on both ends, and echo peers (child JVMs) inside
 * the namespace. A 32 MiB transfer arrives intact, the connect and idle timeouts keep their times, and a
 * connect to an address routed into the namespace where nothing answers fails with ETIMEDOUT. Needs root,
 * iproute2 and the kernel's sch_netem; when any of it is missing the tests fail and say why, they are not
 * skipped. Everything is removed afterwards.
 */
class NetemTests {

    /** The qdisc on both ends; a system property overrides it only to debug the plumbing on a netem-less box. */
    private static final String QDISC = System.getProperty("reliability.netem.qdisc", "netem loss 5% delay 50ms");

    private static final long ID = ProcessHandle.current().pid() % 100000;

    private static final String NAMESPACE = "screl" + ID;

    private static final String HOST_LINK = "scr" + ID + "h";

    private static final String PEER_LINK = "scr" + ID + "p";

    private static final int OCTET = 16 + (int) (ID % 200);

    private static final String HOST = "10.213." + OCTET + ".1";

    private static final String PEER = "10.213." + OCTET + ".2";

    /** Routed into the namespace, which does not forward: SYNs to it vanish. */
    private static final String BLACKHOLE = "10.214." + OCTET + ".1";

    private static final int SIZE = 32 * 1024 * 1024;

    /**
     * Jumbo frames: with 1500-byte packets, 5 % loss and a 100 ms round trip hold TCP near 80 KB/s (Mathis),
     * and 32 MiB would take minutes; with 64 KB packets the same loss and delay still force retransmissions
     * and reordering but the transfer takes seconds.
     */
    private static final String MTU = "65000";

    private static @Nullable ChildEcho sink;

    private static @Nullable ChildEcho echo;

    @BeforeAll
    static void createNamespace() throws Exception {
        try {
            run("ip", "netns", "add", NAMESPACE);
            run("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", PEER_LINK);
            run("ip", "link", "set", PEER_LINK, "netns", NAMESPACE);
            run("ip", "link", "set", "dev", HOST_LINK, "mtu", MTU);
            inNamespace("ip", "link", "set", "dev", PEER_LINK, "mtu", MTU);
            run("ip", "addr", "add", HOST + "/30", "dev", HOST_LINK);
            run("ip", "link", "set", HOST_LINK, "up");
            inNamespace("ip", "addr", "add", PEER + "/30", "dev", PEER_LINK);
            inNamespace("ip", "link", "set", PEER_LINK, "up");
            inNamespace("ip", "link", "set", "lo", "up");
            run(qdisc("tc", "qdisc", "add", "dev", HOST_LINK, "root"));
            inNamespace(qdisc("tc", "qdisc", "add", "dev", PEER_LINK, "root"));
            run("ip", "route", "add", BLACKHOLE + "/32", "via", PEER, "dev", HOST_LINK);
            List<String> prefix = List.of("ip", "netns", "exec", NAMESPACE);
            sink = ChildEcho.start(prefix, PEER, true);
            echo = ChildEcho.start(prefix, PEER, false);
        }
        catch (Exception | AssertionError ex) {
            removeNamespace();
            throw ex;
        }
    }

    private static String[] qdisc(String... command) {
        List<String> all = new ArrayList<>(Arrays.asList(command));
        all.addAll(Arrays.asList(QDISC.split(" ")));
        return all.toArray(new String[0]);
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        for (ChildEcho child : new ChildEcho[] { sink, echo }) {
            if (child != null) {
                child.close();
            }
        }
        sink = null;
        echo = null;
        quietly("ip", "netns", "del", NAMESPACE);
        quietly("ip", "link", "del", HOST_LINK);
    }

    private static void inNamespace(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        all.addAll(Arrays.asList(command));
        run(all.toArray(new String[0]));
    }

    private static void run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException ex) {
            throw new AssertionError(why(command, "cannot run it: " + ex.getMessage()), ex);
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(why(command, "did not finish in 20 s"));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(why(command, "exited " + process.exitValue() + ": "
                    + new String(output, StandardCharsets.UTF_8).trim()));
        }
    }

    private static String why(String[] command, String what) {
        return "cannot build the lossy test network: `" + String.join(" ", command) + "` " + what
                + ". These tests need root (CAP_NET_ADMIN), iproute2 (ip, tc) and the kernel's sch_netem qdisc"
                + " (module sch_netem; on Ubuntu in linux-modules-extra-$(uname -r)); they are not skipped.";
    }

    private static void quietly(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        catch (IOException | InterruptedException ex) {
            // best effort
        }
    }

    @Test
    @Timeout(240)
    void transferOf32MibOverLossyDelayedLinkArrivesIntact() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(15)).build()) {
            PumpHandler pump = new PumpHandler(31, SIZE, false) {

                private boolean ended;

                @Override
                public void open(Socket<Void> socket) {
                    super.open(socket);
                    endWhenSent(socket);
                }

                @Override
                public void drain(Socket<Void> socket) {
                    super.drain(socket);
                    endWhenSent(socket);
                }

                private void endWhenSent(Socket<Void> socket) {
                    if (sent() == SIZE && !this.ended) {
                        this.ended = true;
                        socket.end();
                    }
                }
            };
            long start = System.nanoTime();
            connector.connect(TcpSocketConnectOptions.<Void>builder().hostname(PEER).port(sink.port()).socket(pump)
                .build()).get(20, TimeUnit.SECONDS);
            String[] done = sink.awaitLine("DONE ", 200).trim().split(" ");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(pump.awaitClose(30)).isNull();
            assertThat(pump.sent()).isEqualTo(SIZE);
            assertThat(Long.parseLong(done[0])).as("bytes the peer read in %d s", seconds).isEqualTo(SIZE);
            assertThat(done[1]).as("SHA-256 at the peer").isEqualTo(HexFormat.of().formatHex(pump.sentDigest()));
            assertThat(done).as("no failure at the peer").hasSize(2);
            pump.assertClosedOnceAndQuiet(100);
        }
    }

    @Test
    void pingPongOverTheLinkSeesTheDelayAndTheIdleTimeoutKeepsItsTime() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(15)).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            CompletableFuture<Long> timedOut = new CompletableFuture<>();
            handler.onTimeout((s) -> timedOut.complete(System.nanoTime()));
            Socket<Void> socket = connector.connect(TcpSocketConnectOptions.<Void>builder().hostname(PEER)
                .port(echo.port()).socket(handler).build()).get(20, TimeUnit.SECONDS);
            byte[] message = new byte[1024];
            SplittableRandom random = new SplittableRandom(32);
            List<Long> rtts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                random.nextBytes(message);
                int before = handler.received().length;
                long sent = System.nanoTime();
                assertThat(socket.write(message)).isEqualTo(message.length);
                byte[] all = handler.awaitBytes(before + message.length);
                rtts.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                assertThat(Arrays.copyOfRange(all, before, before + message.length)).isEqualTo(message);
            }
            Matcher delay = Pattern.compile("delay (\\d+)ms").matcher(QDISC);
            if (delay.find()) {
                long oneWay = Long.parseLong(delay.group(1));
                assertThat(rtts.stream().sorted().toList().get(rtts.size() / 2)).as("median round trip of " + rtts)
                    .isGreaterThanOrEqualTo(2 * oneWay * 9 / 10);
            }
            long armed = System.nanoTime();
            socket.timeout(1);
            long fired = timedOut.get(5, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(fired - armed)).as("idle timeout of 1 s")
                .isBetween(900L, 1300L);
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "data", "timeout", "close");
        }
    }

    @Test
    void connectToAnAddressWhereNothingAnswersTimesOutWithEtimedout() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(1)).build()) {
            TrackingHandler<Void> handler = new TrackingHandler<>();
            long start = System.nanoTime();
            Throwable failure = FaultTests.failure(connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname(BLACKHOLE).port(7).socket(handler).build()));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(failure).isInstanceOf(SocketConnectException.class);
            assertThat(((SocketConnectException) failure).code()).isEqualTo("ETIMEDOUT");
            assertThat(failure.getMessage()).contains(BLACKHOLE);
            assertThat(elapsed).isBetween(900L, 3000L);
            Thread.sleep(300);
            assertThat(handler.events()).containsExactly("connectError");
            assertThat(connector.sockets()).isEmpty();
        }
    }
}
