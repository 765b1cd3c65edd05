package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.emulator.GuildHandle;
import carillon.emulator.OAuth2Client;
import carillon.emulator.UserHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin pages as a community organiser uses them (issue 17), in a real headless Chromium against the whole
 * application and the emulator: Login with Discord through the emulator's OAuth2 consent page. Screenshots go to
 * {@code target/screenshots} (copied to docs/screenshots by hand).
 */
class AdminBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Discord's Manage Server permission bit. */
  private static final long MANAGE_GUILD = 1L << 5;
  @TempDir Path dir;
  private DiscordWorld world;
  private WebDriver browser;
  private WebDriverWait waiting;
  private String base;
  private OAuth2Client client;
  private UserHandle organiser;
  private UserHandle member;
  private final Path screenshots = Path.of("target", "screenshots");

  @BeforeEach
  void start() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium package").isExecutable();
    assertThat(CHROMEDRIVER).as("Debian's chromium-driver package").isExecutable();
    world = new DiscordWorld(dir, 1, w -> {
      // The application's OAuth2 page: its secret now, its redirect URI once Carillon's port is known.
      client = w.discord.registerOAuth2(w.bell, "http://127.0.0.1:9/login/discord/callback");
      organiser = w.discord.createUser("Lan");
      member = w.discord.createUser("Minh");
      w.guild.addMember(organiser);
      w.guild.addMember(member);
      // Members are ordinary members (the emulator's @everyone is Administrator unless told otherwise).
      w.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
      w.guild.giveRole(w.bell.id(), w.guild.createRole("bots", GuildHandle.ADMINISTRATOR));
      w.guild.giveRole(organiser.id(), w.guild.createRole("organisers", MANAGE_GUILD));
      Map<String, String> env = new HashMap<>();
      env.put("CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:" + w.discord.port());
      env.put("CARILLON_WEB_DISCORD_CLIENT_ID", Long.toString(client.clientId()));
      env.put("CARILLON_WEB_DISCORD_CLIENT_SECRET", client.clientSecret());
      return env;
    }, Clock.systemUTC());
    base = "http://127.0.0.1:" + world.carillon.webPort();
    world.discord.registerOAuth2(world.bell, base + "/login/discord/callback");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    waiting = new WebDriverWait(browser, WAIT);
    Files.createDirectories(screenshots);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (world != null) {
      world.close();
    }
  }

  private void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** The element once visible; if it never is, the failure says which page the browser was on and what it showed. */
  private WebElement visible(By by) {
    try {
      return waiting.until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (TimeoutException e) {
      throw new AssertionError(by + " never showed on " + browser.getCurrentUrl() + ":\n"
          + browser.findElement(By.tagName("body")).getText(), e);
    }
  }

  /** From the login page through Discord's consent page as {@code who}, pressing {@code button}. */
  private void logInWithDiscord(UserHandle who, String button) throws Exception {
    browser.get(base + "/");
    visible(By.linkText("Log in with Discord")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "wants to access your account"));
    new Select(browser.findElement(By.name("user"))).selectByVisibleText(who.name());
    screenshot("10-discord-consent");
    browser.findElement(By.xpath("//button[text()='" + button + "']")).click();
  }

  @Test
  void onlyAMemberWhoManagesTheGuildGetsInWithDiscord() throws Exception {
    logInWithDiscord(member, "Authorize");
    WebElement refused = visible(By.cssSelector("p.error"));
    assertThat(refused.getText()).contains("Minh, you manage no server where Carillon is", "Manage Server");
    assertThat(browser.getCurrentUrl()).contains("/login/discord/callback");

    logInWithDiscord(organiser, "Cancel");
    assertThat(visible(By.cssSelector("p.error")).getText()).contains("you cancelled at Discord");

    logInWithDiscord(organiser, "Authorize");
    // Her one guild opens at once.
    waiting.until(ExpectedConditions.urlToBe(base + "/guilds/" + world.guild.id()));
    assertThat(visible(By.cssSelector(".who")).getText()).isEqualTo("Lan");
    assertThat(visible(By.tagName("h1")).getText()).contains("Sangha");
    screenshot("11-logged-in-with-discord");
    browser.findElement(By.cssSelector("form[action='/logout'] button")).click();
    visible(By.linkText("Log in with Discord"));
    browser.get(base + "/guilds/" + world.guild.id());
    assertThat(browser.getCurrentUrl()).endsWith("/login");
  }
}
