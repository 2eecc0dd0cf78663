package dev.socketconnector.sample;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Starts the AOT-processed sample ({@code process-aot} runs before the tests, see the
 * pom) in a child JVM with {@code -Dspring.aot.enabled=true} on the application's
 * run-time class path plus {@code target/spring-aot/main/classes}, checks over HTTP on
 * 127.0.0.1 that it serves its health, page and sockets, with the endpoint {@code echo}
 * connected over TLS to the demo echo server, then stops it (SIGTERM, bounded wait). Also
 * checks the hints AOT wrote for a native image.
 */
class SampleAotApplicationTests {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern PORT = Pattern.compile("Tomcat started on port[s()]*:? (\\d+)");

    private static final Pattern STARTUP_LINE = Pattern
        .compile("socket-connector: transport (\\w+), TLS provider (\\w+), (\\d+) event loops?");

    private static final Path TARGET = Path.of("target");

    private static final Path AOT_CLASSES = TARGET.resolve("spring-aot/main/classes");

    private static @Nullable Process app;

    private static final Path log = TARGET.resolve("aot-app.log");

    private static int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startAotProcessedApplication() throws Exception {
        assertThat(AOT_CLASSES
            .resolve("dev/socketconnector/sample/SampleApplication__ApplicationContextInitializer.class"))
            .as("AOT output: run the sample's build up to process-classes (spring-boot:process-aot)")
            .isRegularFile();
        Path runtimeClasspath = TARGET.resolve("runtime-classpath.txt");
        assertThat(runtimeClasspath).as("written by maven-dependency-plugin:build-classpath").isRegularFile();
        String classpath = String.join(File.pathSeparator, AOT_CLASSES.toString(), TARGET.resolve("classes").toString(),
                Files.readString(runtimeClasspath).trim());
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dspring.aot.enabled=true",
                        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, SampleApplication.class.getName(),
                        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
        Files.deleteIfExists(log);
        app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String portText = awaitInLog(PORT, STARTUP_TIMEOUT).group(1);
        port = Integer.parseInt(portText);
    }

    @AfterAll
    static void stopApplication() throws Exception {
        Process process = app;
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the AOT-processed app did not stop within 30 s of SIGTERM; its output is in " + log);
        }
    }

    @Test
    void aotProcessedAppStartsInAotModeAndServesHealthAndItsPage() throws Exception {
        String output = Files.readString(log, StandardCharsets.UTF_8);
        // Boot's startup line names the mode: the bean definitions come from the
        // generated initializer
        assertThat(output).contains("Starting AOT-processed " + SampleApplication.class.getSimpleName());
        assertThat(AOT_CLASSES.resolve("dev/socketconnector/sample/SampleApplication__BeanDefinitions.class"))
            .isRegularFile();

        HttpResponse<String> health = await("health UP", () -> get("/actuator/health"),
                (response) -> response.statusCode() == 200 && response.body().contains("\"UP\""));
        assertThat((String) JsonPath.read(health.body(), "$.status")).isEqualTo("UP");

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");
    }

    @Test
    void echoEndpointConnectsOverTlsAndActuatorReportsWhatLoaded() throws Exception {
        HttpResponse<String> sockets = await("the echo endpoint connected", () -> get("/actuator/sockets"),
                (response) -> response.statusCode() == 200
                        && JsonPath.<List<?>>read(response.body(), "$.sockets[?(@.endpoint == 'echo')]").size() == 1);
        Map<String, Object> json = JsonPath.read(sockets.body(), "$");
        List<Map<String, Object>> echo = JsonPath.read(sockets.body(), "$.sockets[?(@.endpoint == 'echo')]");
        assertThat(echo.get(0)).containsEntry("readyState", "open").containsEntry("remoteAddress", "127.0.0.1");
        assertThat(JsonPath.<List<Object>>read(sockets.body(), "$.sockets[?(@.endpoint == 'echo')].tls.authorized"))
            .isEqualTo(List.of(true));

        // the one INFO line at startup says what the endpoint reports
        Matcher line = awaitInLog(STARTUP_LINE, Duration.ofSeconds(5));
        assertThat(json).containsEntry("transport", line.group(1).toUpperCase(java.util.Locale.ROOT))
            .containsEntry("tlsProvider", line.group(2))
            .containsEntry("eventLoops", Integer.parseInt(line.group(3)));
        // the sample has epoll's native jar and netty-tcnative-boringssl-static for Linux
        // x86_64
        if ("amd64".equals(System.getProperty("os.arch")) && "Linux".equals(System.getProperty("os.name"))) {
            assertThat(json).containsEntry("transport", "EPOLL").containsEntry("tlsProvider", "OPENSSL");
        }
    }

    @Test
    void nativeImageHintsCoverTheStarterAndNettyShipsItsTransportsMetadata() throws IOException {
        Path metadata = Path.of("target/classes/META-INF/native-image/dev.socketconnector/socket-connector-sample-app",
                "reachability-metadata.json");
        assertThat(metadata).isRegularFile();
        assertThat(Files.readString(metadata)).contains("\"io.netty.channel.epoll.Epoll\"")
            .contains("\"io.netty.channel.uring.IoUring\"")
            .contains("getWrappedEngine")
            .contains("exportKeyingMaterialData");
        // the transports' JNI registrations and .so resources come with Netty's own jars
        StringBuilder jni = new StringBuilder();
        StringBuilder resources = new StringBuilder();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (Resource resource : resolver.getResources("classpath*:META-INF/native-image/io.netty/*/jni-config.json")) {
            jni.append(resource.getContentAsString(StandardCharsets.UTF_8));
        }
        for (Resource resource : resolver
            .getResources("classpath*:META-INF/native-image/io.netty/*/resource-config.json")) {
            resources.append(resource.getContentAsString(StandardCharsets.UTF_8));
        }
        assertThat(jni).contains("io.netty.channel.epoll.Native").contains("io.netty.channel.uring.Native");
        assertThat(resources).contains("libnetty_transport_native_epoll_")
            .contains("libnetty_transport_native_io_uring");
    }

    private HttpResponse<String> get(String path) {
        try {
            return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException("GET " + path + " failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static <T> T await(String what, Supplier<T> probe, java.util.function.Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("waited 30 s for " + what + "; last answer: " + last);
            }
            Thread.sleep(100);
            last = probe.get();
        }
        return last;
    }

    /**
     * Waits (bounded) until a line of the app's output matches, failing early if the app
     * exits.
     */
    private static Matcher awaitInLog(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher matcher = pattern.matcher(output);
            if (matcher.find()) {
                return matcher;
            }
            Process process = app;
            if (process != null && !process.isAlive()) {
                fail("the AOT-processed app exited with " + process.exitValue() + " before logging '" + pattern + "':\n"
                        + output);
            }
            if (System.nanoTime() > deadline) {
                fail("no '" + pattern + "' within " + timeout + " in the AOT-processed app's output:\n" + output);
            }
            Thread.sleep(100);
        }
    }

}
