package carillon.bot.app;

import carillon.bot.web.auth.AdminAccounts;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the admin pages' browser tests share: the whole application on the emulator ({@link DiscordWorld},
 * one bot account), a password admin {@value #ADMIN}, and a headless Chromium ({@link Chromium}) to reach
 * its web page at {@link #base}. Each test class adds its own world and steps.
 */
abstract class InChromium {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String ADMIN = "alice";
  static final String PASSWORD = "correct horse battery staple";
  @TempDir Path dir;
  DiscordWorld world;
  Chromium chromium;
  WebDriver browser;
  WebDriverWait waiting;
  /** The web page's address, {@code http://127.0.0.1:PORT}. */
  String base;

  @BeforeEach
  final void startCarillonAndChromium() throws Exception {
    world = new DiscordWorld(dir, 1);
    new AdminAccounts(world.carillon.db(), world.carillon.time()).create(ADMIN, PASSWORD);
    base = "http://127.0.0.1:" + world.carillon.webPort();
    chromium = Chromium.start(dir, WAIT);
    browser = chromium.browser();
    waiting = chromium.waiting();
  }

  @AfterEach
  final void stopChromiumAndCarillon() {
    if (chromium != null) {
      chromium.close();
    }
    if (world != null) {
      world.close();
    }
  }

  /** Logs {@value #ADMIN} in through the login form and waits to be let in. */
  void logInWithPassword() {
    browser.get(base + "/login");
    visible(By.name("name")).sendKeys(ADMIN);
    browser.findElement(By.name("password")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("form[action='/login'] button")).click();
    waiting.until(d -> !d.getCurrentUrl().contains("/login"));
  }

  WebElement visible(By by) {
    return chromium.visible(by);
  }

  void screenshot(String name) throws Exception {
    chromium.screenshot(name);
  }
}
