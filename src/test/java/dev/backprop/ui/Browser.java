package dev.backprop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through /usr/bin/chromedriver, with the checks every page must pass: no
 * script error caught by the page's own hook and no SEVERE entry in the browser console.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final String base;

    Browser(int port) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--disable-extensions", "--no-first-run");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.base = "http://127.0.0.1:" + port;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** A browser on the app at that port; the calling test class is skipped, saying why, where chromium is not installed. */
    static Browser startOrSkip(int port) {
        org.assertj.core.api.Assumptions.assumeThat(available()).as("chromium and chromedriver at %s and %s (apt-get install "
                + "chromium chromium-driver); the browser tests are skipped without them", CHROMIUM, CHROMEDRIVER).isTrue();
        return new Browser(port);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens a page of the app and waits for its script to have drawn it (app.js marks main ready). */
    void open(String path) {
        driver.get(base + path);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                !all("#main[data-ready]").isEmpty());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for an element and returns it. */
    WebElement waitFor(String css) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> !all(css).isEmpty());
        return find(css);
    }

    String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /** The script errors this page caught itself (window.onerror and unhandled rejections). */
    @SuppressWarnings("unchecked")
    List<String> pageErrors() {
        Object errors = driver.executeScript("return window.backpropErrors || [];");
        return (List<String>) errors;
    }

    /** SEVERE console entries since the last call (chromium hands each entry out once). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /** Fails when the page threw or logged an error. */
    void assertNoErrors() {
        assertThat(pageErrors()).as("script errors on %s", path()).isEmpty();
        assertThat(consoleErrors()).as("console errors on %s", path()).isEmpty();
    }

    /** Saves the whole page (the window grown to its height for the shot) as target/screenshots/name.png. */
    void screenshot(String name) {
        Dimension window = driver.manage().window().getSize();
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight;");
        try {
            Files.createDirectories(SCREENSHOTS);
            driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(6000, height + 120)));
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(window);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    Object asyncScript(String script, Object... args) {
        return driver.executeAsyncScript(script, args);
    }

    Map<String, String> data(WebElement element) {
        return Map.of("points", String.valueOf(element.getDomAttribute("data-points")),
                "drawn", String.valueOf(element.getDomAttribute("data-drawn")),
                "lastEpoch", String.valueOf(element.getDomAttribute("data-last-epoch")));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
