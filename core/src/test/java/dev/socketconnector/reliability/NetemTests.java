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
 * Packet loss and delay: a network namespace joined to this one in a private /30 that
 * exists only on the link, with 5 % loss and 50 ms delay each way, and echo peers (child
 * JVMs) inside the namespace. A 32 MiB transfer arrives intact, the connect and idle
 * timeouts keep their times, and a connect to an address routed into the namespace where
 * nothing answers fails with ETIMEDOUT.
 * <p>
 * The link is a veth pair with {@code tc netem loss 5% delay 50ms} on both ends when the
 * kernel has sch_netem. Kernels built without it (this project's CI machines among them:
 * {@code tc} answers "Specified qdisc kind is unknown") get the same impairment in user
 * space: two TUN devices joined by {@code netem/impair.py}, which drops 5 % of the
 * packets crossing in each direction and delays the rest by 50 ms. Needs root, iproute2,
 * and sch_netem or TUN with python3; when any of it is missing the tests fail and say
 * why, they are not skipped. Everything is removed afterwards.
 */
class NetemTests {

    /**
     * The qdisc on both ends; a system property overrides it only to debug the plumbing
     * on a netem-less box.
     */
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
     * Jumbo frames: with 1500-byte packets, 5 % loss and a 100 ms round trip hold TCP
     * near 80 KB/s (Mathis), and 32 MiB would take minutes; with 64 KB packets the same
     * loss and delay still force retransmissions and reordering but the transfer takes
     * seconds.
     */
    private static final String MTU = "65000";

    private static final NetworkCommands COMMANDS = new NetworkCommands("the lossy test network",
            "root (CAP_NET_ADMIN), iproute2 (ip, tc), and either the kernel's sch_netem qdisc or TUN devices"
                    + " (/dev/net/tun) with python3 for the user-space impairment");

    private static @Nullable ChildEcho sink;

    /** The user-space impairment, when the kernel has no sch_netem. */
    private static @Nullable Process impairer;

    /** How the link is impaired: "tc netem" or "user-space TUN impairment". */
    private static String impairment = "none";

    private static @Nullable ChildEcho echo;

    @BeforeAll
    static void createNamespace() throws Exception {
        try {
            COMMANDS.run("ip", "netns", "add", NAMESPACE);
            COMMANDS.inNamespace(NAMESPACE, "ip", "link", "set", "lo", "up");
            if (kernelHasNetem()) {
                vethWithNetem();
            }
            else {
                tunWithUserSpaceImpairment();
            }
            List<String> prefix = List.of("ip", "netns", "exec", NAMESPACE);
            sink = ChildEcho.start(prefix, PEER, true);
            echo = ChildEcho.start(prefix, PEER, false);
        }
        catch (Exception | AssertionError ex) {
            removeNamespace();
            throw ex;
        }
    }

    /** Probes the namespace's loopback: whether {@code tc} knows the netem qdisc. */
    private static boolean kernelHasNetem() throws Exception {
        String[] probe = { "ip", "netns", "exec", NAMESPACE, "tc", "qdisc", "add", "dev", "lo", "root", "netem",
                "delay", "1ms" };
        Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(COMMANDS.why(probe, "did not finish in 20 s"));
        }
        if (process.exitValue() == 0) {
            COMMANDS.inNamespace(NAMESPACE, "tc", "qdisc", "del", "dev", "lo", "root");
            return true;
        }
        if (output.contains("qdisc kind is unknown")) {
            return false;
        }
        throw new AssertionError(COMMANDS.why(probe, "exited " + process.exitValue() + ": " + output));
    }

    private static void vethWithNetem() throws Exception {
        impairment = "tc netem";
        COMMANDS.run("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", PEER_LINK);
        COMMANDS.run("ip", "link", "set", PEER_LINK, "netns", NAMESPACE);
        COMMANDS.run("ip", "link", "set", "dev", HOST_LINK, "mtu", MTU);
        COMMANDS.inNamespace(NAMESPACE, "ip", "link", "set", "dev", PEER_LINK, "mtu", MTU);
        COMMANDS.run("ip", "addr", "add", HOST + "/30", "dev", HOST_LINK);
        COMMANDS.run("ip", "link", "set", HOST_LINK, "up");
        COMMANDS.inNamespace(NAMESPACE, "ip", "addr", "add", PEER + "/30", "dev", PEER_LINK);
        COMMANDS.inNamespace(NAMESPACE, "ip", "link", "set", PEER_LINK, "up");
        COMMANDS.run(qdisc("tc", "qdisc", "add", "dev", HOST_LINK, "root"));
        COMMANDS.inNamespace(NAMESPACE, qdisc("tc", "qdisc", "add", "dev", PEER_LINK, "root"));
        COMMANDS.run("ip", "route", "add", BLACKHOLE + "/32", "via", PEER, "dev", HOST_LINK);
    }

    /**
     * Two TUN devices, one moved into the namespace, joined by impair.py (loss and delay
     * as {@link #QDISC}); the descriptors it opened stay attached to the devices across
     * the move.
     */
    private static void tunWithUserSpaceImpairment() throws Exception {
        impairment = "user-space TUN impairment";
        Matcher loss = Pattern.compile("loss (\\d+)%").matcher(QDISC);
        Matcher delay = Pattern.compile("delay (\\d+)ms").matcher(QDISC);
        String lossRatio = loss.find() ? Double.toString(Integer.parseInt(loss.group(1)) / 100.0) : "0";
        String delayMillis = delay.find() ? delay.group(1) : "0";
        COMMANDS.run("ip", "tuntap", "add", "dev", HOST_LINK, "mode", "tun");
        COMMANDS.run("ip", "tuntap", "add", "dev", PEER_LINK, "mode", "tun");
        java.nio.file.Path script = java.nio.file.Files.createTempFile("impair", ".py");
        try (java.io.InputStream in = NetemTests.class.getResourceAsStream("/netem/impair.py")) {
            java.nio.file.Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String[] command = { "python3", script.toString(), HOST_LINK, PEER_LINK, lossRatio, delayMillis, "31" };
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException ex) {
            throw new AssertionError(COMMANDS.why(command, "cannot run it: " + ex.getMessage()), ex);
        }
        impairer = process;
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return new java.io.BufferedReader(
                        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            }
            catch (IOException ex) {
                return "failed: " + ex;
            }
        });
        String line;
        try {
            line = ready.get(20, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.TimeoutException ex) {
            throw new AssertionError(COMMANDS.why(command, "did not report READY in 20 s"), ex);
        }
        if (!"READY".equals(line)) {
            throw new AssertionError(COMMANDS.why(command, "did not start: " + line));
        }
        COMMANDS.run("ip", "link", "set", PEER_LINK, "netns", NAMESPACE);
        COMMANDS.run("ip", "addr", "add", HOST, "peer", PEER, "dev", HOST_LINK);
        COMMANDS.run("ip", "link", "set", "dev", HOST_LINK, "mtu", MTU, "up");
        COMMANDS.inNamespace(NAMESPACE, "ip", "addr", "add", PEER, "peer", HOST, "dev", PEER_LINK);
        COMMANDS.inNamespace(NAMESPACE, "ip", "link", "set", "dev", PEER_LINK, "mtu", MTU, "up");
        COMMANDS.run("ip", "route", "add", BLACKHOLE + "/32", "dev", HOST_LINK);
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
        NetworkCommands.quietly("ip", "netns", "del", NAMESPACE);
        NetworkCommands.quietly("ip", "link", "del", HOST_LINK);
        Process process = impairer;
        impairer = null;
        if (process != null) {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
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
            connector
                .connect(TcpSocketConnectOptions.<Void>builder().hostname(PEER).port(sink.port()).socket(pump).build())
                .get(20, TimeUnit.SECONDS);
            String[] done = sink.awaitLine("DONE ", 200).trim().split(" ");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(pump.awaitClose(30)).isNull();
            assertThat(pump.sent()).isEqualTo(SIZE);
            assertThat(Long.parseLong(done[0])).as("bytes the peer read in %d s", seconds).isEqualTo(SIZE);
            assertThat(done[1]).as("SHA-256 at the peer").isEqualTo(HexFormat.of().formatHex(pump.sentDigest()));
            assertThat(done).as("no failure at the peer").hasSize(2);
            System.err.println("32 MiB over " + impairment + " (" + QDISC + ") in " + seconds + " s");
            pump.assertClosedOnceAndQuiet(100);
        }
    }

    @Test
    void pingPongOverTheLinkSeesTheDelayAndTheIdleTimeoutKeepsItsTime() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(15)).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            CompletableFuture<Long> timedOut = new CompletableFuture<>();
            handler.onTimeout((s) -> timedOut.complete(System.nanoTime()));
            Socket<Void> socket = connector.connect(
                    TcpSocketConnectOptions.<Void>builder().hostname(PEER).port(echo.port()).socket(handler).build())
                .get(20, TimeUnit.SECONDS);
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
            assertThat(TimeUnit.NANOSECONDS.toMillis(fired - armed)).as("idle timeout of 1 s").isBetween(900L, 1300L);
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "data", "timeout", "close");
        }
    }

    @Test
    void connectToAnAddressWhereNothingAnswersTimesOutWithEtimedout() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(1)).build()) {
            TrackingHandler<Void> handler = new TrackingHandler<>();
            long start = System.nanoTime();
            Throwable failure = FaultTests.failure(connector
                .connect(TcpSocketConnectOptions.<Void>builder().hostname(BLACKHOLE).port(7).socket(handler).build()));
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
