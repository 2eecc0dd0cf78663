package dev.socketconnector.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.socketconnector.benchmarks.BenchmarkCommandsTests.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The neutral C server of {@code c-server/server.c} ({@code run.sh}'s {@code SERVER=c}),
 * compiled here with {@code cc} and OpenSSL's headers, checked first with plain JDK
 * sockets (the count and the echo byte for byte, and how it closes), then driven by both
 * Java clients over TCP, TLS and a unix socket as {@code run.sh} drives it.
 */
@Timeout(120)
class CServerTests {

    private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");

    private static final List<Process> servers = new ArrayList<>();

    private static Path dir;

    private static Path binary;

    private static int count;

    private static int echo;

    private static int countTls;

    private static int echoTls;

    private static Path countUnix;

    private static Path echoUnix;

    @BeforeAll
    static void buildAndStart() throws Exception {
        dir = Files.createTempDirectory("c-server-tests");
        binary = dir.resolve("server");
        Path source = Path.of("c-server", "server.c").toAbsolutePath();
        assertThat(source).exists();
        Process cc = new ProcessBuilder("cc", "-O2", "-Wall", "-Werror", "-o", binary.toString(), source.toString(),
                "-lssl", "-lcrypto")
            .redirectErrorStream(true)
            .start();
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).as("cc finished").isTrue();
        assertThat(cc.exitValue())
            .as("cc -o server server.c -lssl -lcrypto (needs gcc and OpenSSL's headers, Debian's libssl-dev): %s",
                    output)
            .isZero();
        count = port(start("--mode", "count"));
        echo = port(start("--mode", "echo"));
        countTls = port(start("--mode", "count", "--tls"));
        echoTls = port(start("--mode", "echo", "--tls"));
        countUnix = dir.resolve("count.sock");
        echoUnix = dir.resolve("echo.sock");
        assertThat(start("--mode", "count", "--unix", countUnix.toString())).contains("\"unix\":\"" + countUnix + "\"");
        assertThat(start("--mode", "echo", "--unix", echoUnix.toString())).contains("\"unix\":\"" + echoUnix + "\"");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process server : servers) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void countServerAnswersTheBigEndianCountAfterTheFinThenCloses() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", count), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[65536];
            long sent = 0;
            for (int i = 0; i < 40; i++) {
                out.write(chunk);
                sent += chunk.length;
            }
            out.write(chunk, 0, 3);
            sent += 3;
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(8);
            assertThat(answer).hasSize(8);
            assertThat(ByteBuffer.wrap(answer).getLong()).isEqualTo(sent);
            assertThat(in.read()).as("closed after the count").isEqualTo(-1);
        }
    }

    @Test
    void echoServerEchoesEveryByteInOrderAndClosesAfterThePeersFin() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", echo), 5000);
            socket.setSoTimeout(10_000);
            // write from another thread: the server stops reading while its echo cannot
            // be written
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < data.length; offset += 10_000) {
                        out.write(data, offset, Math.min(10_000, data.length - offset));
                    }
                    socket.shutdownOutput();
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            InputStream in = socket.getInputStream();
            byte[] echoed = in.readNBytes(data.length);
            writer.get(10, TimeUnit.SECONDS);
            assertThat(echoed).isEqualTo(data);
            assertThat(in.read()).as("closed after the peer's FIN").isEqualTo(-1);
        }
    }

    @Test
    void anUnknownModeIsAUsageError() throws Exception {
        Process process = new ProcessBuilder(binary.toString(), "server", "--mode", "reverse").redirectErrorStream(true)
            .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("--mode takes count or echo");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void throughputOverTcpTlsAndUnixCountsEveryByte(String client) {
        assertThat(run("throughput", "--client", client, "--port", String.valueOf(count), "--bytes", "5000001",
                "--chunk", "64k"))
            .containsEntry("bytes", "5000001");
        Map<String, String> tls = run("throughput", "--client", client, "--port", String.valueOf(countTls), "--bytes",
                "3000000", "--chunk", "16k", "--tls", "--insecure");
        assertThat(tls).containsEntry("bytes", "3000000").containsEntry("tls_protocol", "TLSv1.3");
        assertThat(run("throughput", "--client", client, "--unix", countUnix.toString(), "--bytes", "2m", "--chunk",
                "64k"))
            .containsEntry("bytes", String.valueOf(2 * 1024 * 1024));
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void pingpongOverTcpTlsAndUnixChecksEveryEcho(String client) {
        assertThat(run("pingpong", "--client", client, "--port", String.valueOf(echo), "--size", "100", "--count",
                "200", "--conns", "3"))
            .containsEntry("roundtrips", "600");
        assertThat(run("pingpong", "--client", client, "--port", String.valueOf(echoTls), "--size", "64", "--count",
                "50", "--conns", "2", "--tls", "--insecure"))
            .containsEntry("roundtrips", "100");
        assertThat(run("pingpong", "--client", client, "--unix", echoUnix.toString(), "--size", "64", "--count", "50",
                "--conns", "2"))
            .containsEntry("roundtrips", "100");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void connectCountsEveryConnectionAndEveryTlsConnectIsAFullHandshake(String client) {
        assertThat(run("connect", "--client", client, "--port", String.valueOf(echo), "--count", "200", "--concurrency",
                "8"))
            .containsEntry("count", "200");
        assertThat(run("connect", "--client", client, "--port", String.valueOf(echoTls), "--count", "20",
                "--concurrency", "4", "--tls", "--insecure"))
            .containsEntry("count", "20")
            .containsEntry("resumed", "0");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void theCertificateIsSelfSignedSoVerifyingClientsRefuseIt(String client) {
        assertThatThrownBy(() -> BenchmarkMain.run("connect", "--client", client, "--port", String.valueOf(echoTls),
                "--count", "1", "--concurrency", "1", "--tls"))
            .isInstanceOf(BenchmarkFailure.class);
    }

    /** Starts the C server with these options and returns its first stdout line. */
    private static String start(String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "server"));
        command.addAll(List.of(options));
        command.addAll(List.of("--host", "127.0.0.1"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        servers.add(process);
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // bounded: the server prints its line at once, or exits (and readLine returns
        // null)
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(line).as("the server's first line").isNotNull().startsWith("{\"bench\":\"server\"");
        return line;
    }

    private static int port(String line) {
        Matcher matcher = PORT.matcher(line);
        assertThat(matcher.find()).as("a port in %s", line).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

}
