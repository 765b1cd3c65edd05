package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through ChromeDriver (Debian's {@code chromium} and {@code chromium-driver},
 * which .ci/run installs), for the browser tests: one profile per test, a 1280×900 window, screenshots
 * under {@code target/screenshots} (copied to docs/screenshots by hand).
 */
final class Chromium implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final WebDriver browser;
  private final WebDriverWait waiting;

  private Chromium(WebDriver browser, Duration wait) {
    this.browser = browser;
    this.waiting = new WebDriverWait(browser, wait);
  }

  /** Starts a browser whose profile lives in {@code dir}; waits for elements up to {@code wait}. */
  static Chromium start(Path dir, Duration wait) throws IOException {
    assertThat(BINARY).as("Debian's chromium package (.ci/run installs it)").isExecutable();
    assertThat(DRIVER).as("Debian's chromium-driver package (.ci/run installs it)").isExecutable();
    ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    Files.createDirectories(SCREENSHOTS);
    return new Chromium(new ChromeDriver(service, options), wait);
  }

  WebDriver browser() {
    return browser;
  }

  WebDriverWait waiting() {
    return waiting;
  }

  /** The element once visible; if it never is, the failure says which page the browser was on and what it showed. */
  WebElement visible(By by) {
    try {
      return waiting.until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (TimeoutException e) {
      throw new AssertionError(by + " never showed on " + browser.getCurrentUrl() + ":\n"
          + browser.findElement(By.tagName("body")).getText(), e);
    }
  }

  /** axe-core's serious and critical violations on the page shown (rule id, what, where). */
  @SuppressWarnings("unchecked")
  List<String> seriousViolations() throws IOException {
    Path axe = Path.of("src", "test", "axe", "node_modules", "axe-core", "axe.min.js");
    assertThat(axe).as("axe-core, installed by npm ci in carillon-bot/src/test/axe (scripts/test-prerequisites.sh)")
        .isRegularFile();
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript(Files.readString(axe));
    return (List<String>) js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.filter("
        + "v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' at '"
        + " + v.nodes.map(n => n.target.join(' ')).join(', '))), e => done(['axe failed: ' + e]));");
  }

  /** Saves what the browser shows as {@code target/screenshots/NAME.png}. */
  void screenshot(String name) throws IOException {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    browser.quit();
  }
}
