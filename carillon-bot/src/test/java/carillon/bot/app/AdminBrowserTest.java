package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.emulator.GuildHandle;
import carillon.emulator.OAuth2Client;
import carillon.emulator.UserHandle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin pages as a community organiser uses them (issue 17), in a real headless Chromium against the whole
 * application and the emulator: Login with Discord through the emulator's OAuth2 consent page. Screenshots go to
 * {@code target/screenshots} (copied to docs/screenshots by hand).
 */
class AdminBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Discord's Manage Server permission bit. */
  private static final long MANAGE_GUILD = 1L << 5;
  @TempDir Path dir;
  private DiscordWorld world;
  private Chromium chromium;
  private WebDriver browser;
  private WebDriverWait waiting;
  private String base;
  private OAuth2Client client;
  private UserHandle organiser;
  private UserHandle member;
  private UserHandle host;
  private GuildHandle otherGuild;

  @BeforeEach
  void start() throws Exception {
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
      // commands.role: a role without Manage Server whose members manage sessions too.
      host = w.discord.createUser("Hoa");
      w.guild.addMember(host);
      w.guild.giveRole(host.id(), w.guild.createRole("hosts", 0));
      // Another guild with Carillon where Lan is an ordinary member: not hers to manage.
      otherGuild = w.discord.createGuild("Riverside");
      otherGuild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
      otherGuild.addMember(w.bell);
      otherGuild.giveRole(w.bell.id(), otherGuild.createRole("bots", GuildHandle.ADMINISTRATOR));
      otherGuild.addMember(organiser);
      Map<String, String> env = new HashMap<>();
      env.put("CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:" + w.discord.port());
      env.put("CARILLON_WEB_DISCORD_CLIENT_ID", Long.toString(client.clientId()));
      env.put("CARILLON_WEB_DISCORD_CLIENT_SECRET", client.clientSecret());
      env.put("CARILLON_COMMANDS_ROLE", "hosts");
      return env;
    }, Clock.systemUTC());
    base = "http://127.0.0.1:" + world.carillon.webPort();
    world.discord.registerOAuth2(world.bell, base + "/login/discord/callback");
    chromium = Chromium.start(dir, WAIT);
    browser = chromium.browser();
    waiting = chromium.waiting();
  }

  @AfterEach
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (world != null) {
      world.close();
    }
  }

  private void screenshot(String name) throws Exception {
    chromium.screenshot(name);
  }

  private WebElement visible(By by) {
    return chromium.visible(by);
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
  void onlyAMemberWhoManagesTheGuildOrHasTheCommandRoleGetsInWithDiscord() throws Exception {
    logInWithDiscord(member, "Authorize");
    WebElement refused = visible(By.cssSelector("p.error"));
    assertThat(refused.getText()).contains("Minh, you manage no server where Carillon is", "Manage Server", "'hosts'");
    assertThat(browser.getCurrentUrl()).contains("/login/discord/callback");

    logInWithDiscord(host, "Authorize"); // by the command role: her membership is read from Discord
    waiting.until(ExpectedConditions.urlToBe(base + "/guilds/" + world.guild.id()));
    assertThat(visible(By.cssSelector(".who")).getText()).isEqualTo("Hoa");
    browser.findElement(By.cssSelector("form[action='/logout'] button")).click();

    logInWithDiscord(organiser, "Cancel");
    assertThat(visible(By.cssSelector("p.error")).getText()).contains("you cancelled at Discord");

    logInWithDiscord(organiser, "Authorize");
    // Her one guild opens at once.
    waiting.until(ExpectedConditions.urlToBe(base + "/guilds/" + world.guild.id()));
    assertThat(visible(By.cssSelector(".who")).getText()).isEqualTo("Lan");
    assertThat(visible(By.tagName("h1")).getText()).contains("Sangha");
    assertThat(browser.findElements(By.cssSelector("header.bar nav a"))).extracting(WebElement::getText)
        .as("her guilds in the navigation").contains("Sangha").doesNotContain("Riverside");
    screenshot("11-logged-in-with-discord");
    browser.get(base + "/guilds/" + otherGuild.id());
    assertThat(visible(By.tagName("main")).getText()).contains("you have no access to guild " + otherGuild.id());
    browser.get(base + "/guilds/" + world.guild.id());
    browser.findElement(By.cssSelector("form[action='/logout'] button")).click();
    visible(By.linkText("Log in with Discord"));
    browser.get(base + "/guilds/" + world.guild.id());
    assertThat(browser.getCurrentUrl()).endsWith("/login");
  }

  /** The first Sunday of a month at 07:00 UTC, the next one after now. */
  private static LocalDate nextFirstSunday() {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    for (LocalDate month = now.toLocalDate().withDayOfMonth(1); ; month = month.plusMonths(1)) {
      LocalDate sunday = month.with(TemporalAdjusters.firstInMonth(DayOfWeek.SUNDAY));
      if (sunday.atTime(7, 0).atZone(ZoneOffset.UTC).isAfter(now)) {
        return sunday;
      }
    }
  }

  @Test
  void anOrganiserPlansAFirstSundaySessionSeesItInTheCalendarAndWatchesItPlay() throws Exception {
    world.audio("Long tone", DemoAudio.tone(440, 90));
    logInWithDiscord(organiser, "Authorize");
    waiting.until(ExpectedConditions.urlToBe(base + "/guilds/" + world.guild.id()));
    List<String> violations = new ArrayList<>(chromium.seriousViolations().stream().map(v -> "sessions page: " + v).toList());

    // The schedule editor writes the rule; the preview shows the next occurrences as it changes.
    browser.get(base + "/guilds/" + world.guild.id() + "/sessions/new");
    visible(By.name("name")).sendKeys("First Sunday sit");
    new Select(browser.findElement(By.name("voiceChannel"))).selectByVisibleText("Meditation Hall");
    new Select(browser.findElement(By.id("ed-frequency"))).selectByValue("MONTHLY");
    new Select(browser.findElement(By.id("ed-nth"))).selectByValue("1");
    new Select(browser.findElement(By.id("ed-nth-day"))).selectByValue("SU");
    // Chromium's time control takes keys in its own locale's order; its value is set as a person's pick ends.
    ((JavascriptExecutor) browser).executeScript("const t = document.getElementById('ed-time'); t.value = '07:00';"
        + "t.dispatchEvent(new Event('change', {bubbles: true}));");
    WebElement zone = browser.findElement(By.id("ed-zone"));
    zone.clear();
    zone.sendKeys("UTC");
    LocalDate firstSunday = nextFirstSunday();
    String schedule = browser.findElement(By.name("schedule")).getDomProperty("value");
    assertThat(schedule).matches("rrule FREQ=MONTHLY;BYDAY=1SU from \\d{4}-\\d{2}-\\d{2}T07:00 UTC");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), firstSunday + " 07:00"));
    browser.findElement(By.xpath("//ul[@class='library-tracks']/li[span[text()='Long tone']]/button")).click();
    violations.addAll(chromium.seriousViolations().stream().map(v -> "session form: " + v).toList());
    screenshot("12-schedule-editor");
    browser.findElement(By.cssSelector("form.session button[type=submit]")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("table"), "First Sunday sit"));

    // The month view shows it on the first Sunday, at 07:00.
    browser.get(base + "/guilds/" + world.guild.id() + "/calendar?date=" + firstSunday);
    WebElement day = visible(By.cssSelector("td[data-date='" + firstSunday + "']"));
    assertThat(day.getText()).contains("07:00 First Sunday sit");
    assertThat(browser.findElements(By.xpath("//td[not(contains(@class, 'outside'))][.//a[contains(., 'First Sunday sit')]]")))
        .as("one first Sunday among the month's own days (the grid's days of other months are marked outside)").hasSize(1);
    violations.addAll(chromium.seriousViolations().stream().map(v -> "calendar: " + v).toList());
    screenshot("13-calendar-month");
    browser.get(base + "/guilds/" + world.guild.id() + "/calendar?view=week&date=" + firstSunday);
    assertThat(visible(By.cssSelector("td[data-date='" + firstSunday + "']")).getText()).contains("07:00 First Sunday sit");
    assertThat(browser.findElements(By.cssSelector("table.calendar td"))).hasSize(7);
    screenshot("14-calendar-week");

    // Play now from the calendar, with Lan in the hall; the live page's progress bar moves, the activity
    // indicator counts packets, and the slider sets the volume.
    organiser.joinVoice(world.guild, world.hall);
    browser.get(base + "/guilds/" + world.guild.id() + "/calendar?date=" + firstSunday);
    visible(By.cssSelector("td[data-date='" + firstSunday + "'] button")).click();
    visible(By.cssSelector("p.notice"));
    browser.get(base + "/guilds/" + world.guild.id() + "/live");
    WebElement progress = visible(By.cssSelector("#slots progress.track-progress"));
    await().atMost(WAIT).until(() -> Double.parseDouble(progress.getDomProperty("value")) > 1000);
    double first = Double.parseDouble(progress.getDomProperty("value"));
    await().atMost(WAIT).until(() -> Double.parseDouble(
        browser.findElement(By.cssSelector("#slots progress.track-progress")).getDomProperty("value")) > first + 1000);
    assertThat(browser.findElement(By.cssSelector("#slots progress.track-progress")).getDomProperty("max"))
        .isEqualTo("90000");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#slots .listeners"),
        "In the voice channel: 1"));
    waiting.until(d -> d.findElement(By.cssSelector("#slots .rate")).getText().matches("[1-9][0-9]*/s"));
    WebElement slider = browser.findElement(By.cssSelector("#slots input[type=range]"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", slider);
    Actions keys = new Actions(browser);
    for (int i = 0; i < 40; i++) {
      keys.sendKeys(Keys.ARROW_LEFT); // a person's keys on the focused slider: 100 % down to 60 %
    }
    keys.perform();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("slots"), "volume 60%"));
    await().atMost(WAIT).until(() -> world.carillon.playback().all().stream().anyMatch(r -> r.volume() == 60));
    assertThat(world.carillon.commands().inGuild(world.guild.id(), 100, Long.MAX_VALUE))
        .as("one VOLUME command for the slider's forty steps").filteredOn(c -> c.kind().name().equals("VOLUME")).hasSize(1);
    violations.addAll(chromium.seriousViolations().stream().map(v -> "live: " + v).toList());
    screenshot("15-live-progress");

    // The page in Vietnamese, and back.
    browser.findElement(By.linkText("Tiếng Việt")).click();
    waiting.until(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "vi"));
    assertThat(browser.findElement(By.id("shortcuts")).getText()).startsWith("Phím:");
    assertThat(browser.findElement(By.cssSelector("form[action='/logout'] button")).getText()).isEqualTo("Đăng xuất");
    browser.get(base + "/guilds/" + world.guild.id() + "/calendar?date=" + firstSunday);
    assertThat(visible(By.tagName("h1")).getText()).startsWith("Lịch");
    violations.addAll(chromium.seriousViolations().stream().map(v -> "calendar (vi): " + v).toList());
    screenshot("16-calendar-vietnamese");
    browser.findElement(By.linkText("English")).click();
    waiting.until(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "en"));
    assertThat(visible(By.tagName("h1")).getText()).startsWith("Calendar");
    assertThat(violations).as("axe-core: serious or critical accessibility violations").isEmpty();

    // On a phone's width, the calendar and the session form fit without sideways scrolling.
    browser.manage().window().setSize(new Dimension(390, 844));
    for (String page : List.of("/guilds/" + world.guild.id() + "/calendar?date=" + firstSunday,
        "/guilds/" + world.guild.id() + "/sessions/new", "/guilds/" + world.guild.id() + "/live")) {
      browser.get(base + page);
      visible(By.tagName("h1"));
      Object overflow = ((JavascriptExecutor) browser).executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertThat(((Number) overflow).intValue()).as(page + ": pixels wider than a phone").isLessThanOrEqualTo(0);
    }
    browser.get(base + "/guilds/" + world.guild.id() + "/calendar?date=" + firstSunday);
    screenshot("17-calendar-phone");

    // The check itself can fail: a page with an unlabelled field and an image without a text is caught.
    browser.get(base + "/assets/carillon.css"); // a page of this origin, then replaced by a bad one
    ((JavascriptExecutor) browser).executeScript("document.documentElement.innerHTML = '<head><title>bad</title></head>"
        + "<body><main><input type=text><img src=/assets/none.png></main></body>';");
    assertThat(chromium.seriousViolations()).anyMatch(v -> v.startsWith("label:")).anyMatch(v -> v.startsWith("image-alt:"));
  }
}
