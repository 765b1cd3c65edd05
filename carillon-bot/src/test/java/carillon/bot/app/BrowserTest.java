package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin pages in a real headless Chromium (Debian's, through its ChromeDriver), against the whole
 * application and the emulator: log in, upload two files, create a session, start it, watch the live
 * state change as the emulator hears audio, pause and resume, and find the run in the history. Each page
 * is saved as a screenshot under {@code target/screenshots} (copied to docs/screenshots by hand).
 */
class BrowserTest extends InChromium {

  private void drag(By from, By to) {
    ((JavascriptExecutor) browser).executeScript(
        "const [source, target] = arguments;"
        + "const data = new DataTransfer();"
        + "source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));"
        + "target.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));"
        + "target.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));",
        browser.findElement(from), browser.findElement(to));
  }

  private void addTrack(String name) {
    browser.findElement(By.xpath("//ul[@class='library-tracks']/li[span[text()='" + name + "']]/button[text()='Add']")).click();
  }

  /** The submit button of the inline form in the session's row that posts {@code kind}. */
  private void control(String kind) {
    WebElement row = browser.findElement(By.xpath("//tr[td/a[text()='Evening sit']]"));
    row.findElement(By.xpath(".//form[input[@name='kind' and @value='" + kind + "']]//button")).click();
  }

  @Test
  void anAdminRunsASessionFromTheBrowserAndWatchesItLive() throws Exception {
    // Log in.
    browser.get(base + "/");
    visible(By.name("name")).sendKeys(ADMIN);
    browser.findElement(By.name("password")).sendKeys(PASSWORD);
    screenshot("01-login");
    browser.findElement(By.cssSelector("form[action='/login'] button")).click();
    waiting.until(d -> !d.getCurrentUrl().contains("/login") || !d.findElements(By.cssSelector("p.error")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("p.error"))).as("login errors").extracting(WebElement::getText).isEmpty();

    // Upload two files at once.
    Path high = Files.write(dir.resolve("Evening bell.wav"), DemoAudio.chime(660, 4));
    Path low = Files.write(dir.resolve("Long tone.wav"), DemoAudio.tone(440, 20));
    browser.get(base + "/library");
    visible(By.cssSelector("input[type=file][name=files]")).sendKeys(high + "\n" + low);
    assertThat(browser.findElements(By.cssSelector("form.upload progress"))).as("the progress bar").hasSize(1);
    browser.findElement(By.cssSelector("form.upload button")).click();
    waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table input[name=name]"), 2));
    assertThat(browser.findElements(By.cssSelector("table input[name=name]")))
        .extracting(e -> e.getDomProperty("value")).containsExactlyInAnyOrder("Evening bell", "Long tone");
    assertThat(browser.findElement(By.tagName("table")).getText()).contains("4 s", "20 s");
    screenshot("02-library");

    // Create a session: channels and tracks picked by name.
    long guild = world.guild.id();
    browser.get(base + "/guilds/" + guild + "/sessions/new");
    visible(By.name("name")).sendKeys("Evening sit");
    new Select(browser.findElement(By.name("voiceChannel"))).selectByVisibleText("Meditation Hall");
    new Select(browser.findElement(By.name("textChannel"))).selectByVisibleText("#notices");
    browser.findElement(By.name("schedule")).sendKeys("daily 23:30 UTC");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), "23:30"));
    // The playlist editor: drag a track in, add one with its button, then drag it before the first.
    // Selenium cannot make Chromium itself drag, so the page's own DragEvents are dispatched (the
    // browser's drag gesture is the one part not covered).
    drag(By.xpath("//ul[@class='library-tracks']/li[span[text()='Long tone']]"), By.cssSelector("ol.playlist-tracks"));
    addTrack("Evening bell");
    drag(By.xpath("//ol[@class='playlist-tracks']/li[2]"), By.xpath("//ol[@class='playlist-tracks']/li[1]"));
    assertThat(browser.findElements(By.cssSelector("ol.playlist-tracks li span"))).extracting(WebElement::getText)
        .containsExactly("Evening bell", "Long tone");
    screenshot("03-session-form");
    browser.findElement(By.cssSelector("form.session button[type=submit]")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("table"), "Evening sit"));
    Session session = world.carillon.sessions().inGuild(guild).getFirst();
    assertThat(session.playlist()).extracting(id -> world.carillon.library().find(id).orElseThrow().name())
        .containsExactly("Evening bell", "Long tone");

    // Start it now; the live page follows what the emulator hears.
    control("PLAY");
    visible(By.cssSelector("p.notice"));
    screenshot("04-sessions");
    browser.get(base + "/guilds/" + guild + "/live");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("slots"), "PLAYING"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).as("guilds by name").isEqualTo("Live: Sangha");
    await().atMost(WAIT).until(() -> !world.voice(world.bell).isEmpty()
        && world.voice(world.bell).getLast().decodedAudio().compareTo(Duration.ofSeconds(1)) > 0);
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("slots"), "Evening sit"));
    screenshot("05-live-playing");

    // Pause, resume and set the volume with the live page's own buttons; it shows each change.
    browser.findElement(By.cssSelector("#slots button[data-kind=PAUSE]")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("slots"), "PAUSED"));
    VoiceConnectionSnapshot atPause = world.voice(world.bell).getLast();
    screenshot("06-live-paused");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() ->
        world.voice(world.bell).getLast().decodedAudio().minus(atPause.decodedAudio()).compareTo(Duration.ofMillis(100)) <= 0);
    waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slots button[data-kind=RESUME]"))).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("slots"), "PLAYING"));
    Duration resumedFrom = world.voice(world.bell).getLast().decodedAudio();
    await().atMost(WAIT).until(() ->
        world.voice(world.bell).getLast().decodedAudio().minus(resumedFrom).compareTo(Duration.ofSeconds(1)) > 0);
    WebElement volume = browser.findElement(By.cssSelector("#slots input[aria-label=Volume]"));
    assertThat(volume.getAttribute("min") + " to " + volume.getAttribute("max")).as("SessionLimits' volume range")
        .isEqualTo(SessionLimits.MIN_VOLUME + " to " + SessionLimits.MAX_VOLUME);
    volume.clear();
    volume.sendKeys("40");
    browser.findElement(By.cssSelector("#slots button[data-kind=VOLUME]")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("slots"), "volume 40%"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("commands"), "VOLUME → DONE"));

    // Stop, and find the run and the commands in the history.
    browser.get(base + "/guilds/" + guild);
    control("STOP");
    await().atMost(WAIT).until(() -> world.carillon.runs().forSession(session.id()).stream()
        .anyMatch(r -> r.outcome() == RunOutcome.STOPPED));
    browser.get(base + "/guilds/" + guild + "/history");
    String history = visible(By.tagName("main")).getText();
    assertThat(history).contains("Evening sit", "STOPPED", "PLAY", "PAUSE", "RESUME", "VOLUME 40%", "STOP", "alice");
    screenshot("07-history");
  }
}
