package dev.socketconnector.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives the sample's page in a real browser: Debian's headless {@code chromium} through
 * {@code chromedriver} (packages {@code chromium} and {@code chromium-driver}), with
 * Selenium. Fails, never skips, when they are missing.
 * <p>
 * The driver and browser paths are set explicitly, so Selenium Manager downloads nothing.
 * Each test saves a screenshot under {@code target/screenshots/};
 * {@code -Dsample.screenshot=<file>} also copies the last one there.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SamplePageBrowserTests {

    static final Path CHROMIUM = Paths.get(System.getProperty("sample.chromium", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Paths.get(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @TempDir
    Path profile;

    private ChromeDriverService service;

    private ChromeDriver browser;

    private static final By ROW = By.cssSelector("#sockets tbody tr[data-socket-id]");

    private WebDriverWait wait;

    @BeforeAll
    static void browserIsInstalled() {
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                fail(program + " is missing: the browser test needs Debian's packages chromium and chromium-driver "
                        + "(apt-get install -y chromium chromium-driver), or -Dsample.chromium=<browser> and "
                        + "-Dsample.chromedriver=<driver> pointing at an installed pair of the same version");
            }
        }
    }

    @BeforeEach
    void openBrowser() {
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // as root in a container: no sandbox; on a closed network: no background traffic
        // to Google
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1360,1100", "--user-data-dir=" + this.profile);
        this.browser = new ChromeDriver(this.service, options);
        // the page re-renders its tables every second: an element found a moment ago may
        // be replaced
        this.wait = new WebDriverWait(this.browser, WAIT);
        this.wait.ignoring(StaleElementReferenceException.class);
        this.browser.get("http://127.0.0.1:" + this.port + "/");
    }

    @AfterEach
    void closeBrowser(org.junit.jupiter.api.TestInfo test) throws IOException {
        try {
            if (this.browser != null) {
                Path shot = Paths.get("target", "screenshots", test.getTestMethod().orElseThrow().getName() + ".png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, this.browser.getScreenshotAs(OutputType.BYTES));
                String copy = System.getProperty("sample.screenshot");
                if (copy != null) {
                    Files.copy(shot, Paths.get(copy), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        finally {
            if (this.browser != null) {
                this.browser.quit();
            }
            if (this.service != null) {
                this.service.stop();
            }
        }
    }

    @Test
    void pageShowsTheTlsSocketAndTheEchoOfASentMessage() {
        // read each value inside a wait, so a re-rendered row is simply read again
        String rowText = this.wait.until((driver) -> driver.findElement(ROW).getText());
        assertThat(rowText).contains("echo").contains("127.0.0.1").contains("open");
        String tls = this.wait
            .until((driver) -> driver.findElement(ROW).findElement(By.cssSelector(".socket-tls")).getText());
        assertThat(tls).matches("(?s)TLSv1\\.[23].*\\S+.*");
        this.wait.until(ExpectedConditions.attributeToBe(By.id("endpoint-state"), "data-state", "CONNECTED"));
        this.wait.until(ExpectedConditions.attributeToBe(By.id("health"), "data-state", "UP"));

        this.browser.findElement(By.id("send-input")).sendKeys("hello from chromium");
        this.browser.findElement(By.id("send-button")).click();
        String reply = this.wait.until((driver) -> {
            String text = driver.findElement(By.id("reply-text")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(reply).isEqualTo("hello from chromium");
        String replyLine = this.wait.until((driver) -> driver.findElement(By.id("reply")).getText());
        assertThat(replyLine).contains(" ms over socket ");

        // the heartbeat's round trips are drawn as a line in the SVG chart
        this.wait.until((driver) -> !driver.findElements(By.cssSelector("#rtt-chart path.line")).isEmpty());
        this.wait.until((driver) -> !driver.findElements(By.cssSelector("#rtt-chart circle")).isEmpty());
    }

    @Test
    void atSevenHundredPixelsWideNothingIsOffScreenAndSendAndCloseWork() {
        this.browser.manage().window().setSize(new Dimension(700, 1100));
        this.browser.navigate().refresh();
        this.wait.until((driver) -> driver.findElement(ROW).getAttribute("data-socket-id"));
        long viewport = ((Number) this.browser.executeScript("return window.innerWidth;")).longValue();
        assertThat(viewport).isLessThanOrEqualTo(700);
        // no horizontal scrolling of the page itself
        assertThat(((Number) this.browser.executeScript("return document.documentElement.scrollWidth;")).longValue())
            .isLessThanOrEqualTo(viewport);
        for (By button : List.of(By.id("send-button"), By.cssSelector("button.close-socket"))) {
            Rectangle rect = this.wait.until((driver) -> driver.findElement(button).getRect());
            assertThat(rect.getX()).as("%s left", button).isGreaterThanOrEqualTo(0);
            assertThat(rect.getX() + rect.getWidth()).as("%s right edge", button).isLessThanOrEqualTo((int) viewport);
        }

        this.browser.findElement(By.id("send-input")).sendKeys("narrow");
        this.browser.findElement(By.id("send-button")).click();
        String reply = this.wait.until((driver) -> {
            String text = driver.findElement(By.id("reply-text")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(reply).isEqualTo("narrow");

        String first = this.wait.until((driver) -> driver.findElement(ROW).getAttribute("data-socket-id"));
        this.wait.until((driver) -> {
            driver.findElement(By.cssSelector("button.close-socket[data-socket-id='" + first + "']")).click();
            return true;
        });
        this.wait
            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "socket " + first + " closed"));
    }

    @Test
    void closeButtonClosesTheSocketAndThePageShowsTheReconnectedOne() {
        String first = this.wait.until((driver) -> driver.findElement(ROW).getAttribute("data-socket-id"));

        this.wait.until((driver) -> {
            driver.findElement(By.cssSelector("button.close-socket[data-socket-id='" + first + "']")).click();
            return true;
        });

        String next = this.wait.until((driver) -> driver.findElements(ROW)
            .stream()
            .filter((candidate) -> !first.equals(candidate.getAttribute("data-socket-id")))
            .map(WebElement::getText)
            .findFirst()
            .orElse(null));
        assertThat(next).contains("echo").contains("open");
        assertThat(this.browser.findElements(By.cssSelector("#sockets tbody tr[data-socket-id='" + first + "']")))
            .isEmpty();
        this.wait
            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "socket " + first + " closed"));
        this.wait.until(ExpectedConditions.attributeToBe(By.id("endpoint-state"), "data-state", "CONNECTED"));
        String target = this.wait.until((driver) -> driver.findElement(By.id("target")).getText());
        assertThat(target).containsPattern("[1-9]\\d* reconnects?");
        // the Events panel shows each transition of the reconnect, pushed live (not
        // sampled by the poll)
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"),
                "endpoint echo: connected → backing-off"));
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"),
                "endpoint echo: backing-off → connecting"));
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"),
                "endpoint echo: connecting → connected"));
    }

}
