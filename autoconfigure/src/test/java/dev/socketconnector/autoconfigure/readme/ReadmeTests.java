package dev.socketconnector.autoconfigure.readme;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.EndpointState;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keeps the README's Java examples compiled and run: every {@code ```java} block of
 * README.md must be, line for line, the region between {@code // readme:begin} and
 * {@code // readme:end} (less its common indentation) of one source file in
 * {@code core/src/test/java/dev/socketconnector/readme}, this package or
 * {@code test-support/src/test/java/dev/socketconnector/test/readme}, preceded by that
 * file's imports when the region does not start with them (so the README shows what a
 * snippet imports, and the compiler checks it), and every such region must be in the
 * README. Those files compile with the tests; the Spring ones run here, the core ones in
 * core's {@code ReadmeExamplesTests}.
 */
class ReadmeTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final List<Path> EXAMPLE_DIRS = List.of(
            ROOT.resolve("core/src/test/java/dev/socketconnector/readme"),
            ROOT.resolve("autoconfigure/src/test/java/dev/socketconnector/autoconfigure/readme"),
            ROOT.resolve("test-support/src/test/java/dev/socketconnector/test/readme"));

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class));

    @Test
    void everyReadmeJavaBlockIsACompiledExampleAndEveryExampleIsInTheReadme() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(ROOT.resolve("README.md")));
        List<String> regions = new ArrayList<>();
        for (Path dir : EXAMPLE_DIRS) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter((f) -> f.toString().endsWith(".java")).sorted().toList()) {
                    regions.addAll(regions(Files.readString(file)));
                }
            }
        }
        assertThat(blocks).as("README java blocks").isNotEmpty();
        assertThat(regions).as("marked example regions").doesNotHaveDuplicates();
        assertThat(blocks).as("README java blocks, against the compiled examples")
            .containsExactlyInAnyOrderElementsOf(regions);
    }

    @Test
    void customizerExampleAddsTheObserver() throws IOException {
        try (ServerSocket peer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            this.contextRunner.withBean(MyObserver.class)
                .withUserConfiguration(ObserverConfiguration.class)
                .run((context) -> {
                    SocketConnector connector = context.getBean(SocketConnector.class);
                    connector.connect(TcpSocketConnectOptions.<Void>builder()
                        .hostname("127.0.0.1")
                        .port(peer.getLocalPort())
                        .socket(new dev.socketconnector.SocketHandler<>() {
                        })
                        .build()).get(10, java.util.concurrent.TimeUnit.SECONDS).terminate();
                    assertThat(context.getBean(MyObserver.class).targets)
                        .containsExactly("127.0.0.1:" + peer.getLocalPort());
                });
        }
    }

    @Test
    void backendHandlerSaysHelloAndBackendClientSendsThroughTheManagedEndpoint() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            String prefix = "socket.connector.endpoints.backend.";
            this.contextRunner
                .withPropertyValues(prefix + "hostname=127.0.0.1", prefix + "port=" + listener.getLocalPort(),
                        prefix + "connect-on-startup=true")
                .withUserConfiguration(BackendHandler.class, BackendClient.class)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    try (Socket peer = listener.accept()) {
                        peer.setSoTimeout(10_000);
                        assertThat(readLine(peer.getInputStream())).isEqualTo("HELLO");
                        SocketEndpointRegistry registry = context.getBean(SocketEndpointRegistry.class);
                        await().atMost(Duration.ofSeconds(10))
                            .until(() -> registry.endpoint("backend").state() == EndpointState.CONNECTED);
                        assertThat(context.getBean(BackendClient.class).send("ping")).isTrue();
                        assertThat(readLine(peer.getInputStream())).isEqualTo("ping");
                    }
                });
        }
    }

    /**
     * Returns the bodies of the {@code ```java} blocks, each line without its trailing
     * newline.
     */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.equals("```java")) {
                current = new StringBuilder();
            }
            else if (current != null && line.equals("```")) {
                blocks.add(current.toString());
                current = null;
            }
            else if (current != null) {
                current.append(line).append('\n');
            }
        }
        assertThat(current).as("an unterminated ```java block").isNull();
        return blocks;
    }

    /**
     * Returns the marked regions of a source file, each without the indentation its lines
     * share, and preceded by the file's imports (as they stand in the file) unless the
     * region starts with them.
     */
    static List<String> regions(String source) {
        String imports = imports(source);
        List<String> regions = new ArrayList<>();
        for (String region : bareRegions(source)) {
            regions.add((region.startsWith("import ") || imports.isEmpty()) ? region : imports + "\n" + region);
        }
        return regions;
    }

    /**
     * Returns the file's import lines, from the first to the last, with the blank lines
     * between them.
     */
    private static String imports(String source) {
        List<String> lines = List.of(source.split("\n", -1));
        int first = -1;
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("import ")) {
                first = (first < 0) ? i : first;
                last = i;
            }
        }
        return (first < 0) ? "" : String.join("\n", lines.subList(first, last + 1)) + "\n";
    }

    private static List<String> bareRegions(String source) {
        List<String> regions = new ArrayList<>();
        List<String> current = null;
        for (String line : source.split("\n", -1)) {
            if (line.strip().equals("// readme:begin")) {
                current = new ArrayList<>();
            }
            else if (line.strip().equals("// readme:end")) {
                assertThat(current).as("readme:end without readme:begin").isNotNull();
                regions.add(dedent(current));
                current = null;
            }
            else if (current != null) {
                current.add(line);
            }
        }
        assertThat(current).as("readme:begin without readme:end").isNull();
        return regions;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream()
            .filter((line) -> !line.isBlank())
            .mapToInt((line) -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return text.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }

}
