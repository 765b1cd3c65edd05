package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A guild's settings page in a real headless Chromium against the whole application: a wrong skip line
 * is named by its line, the right ones are saved, the session form's preview strikes the skipped day
 * out with why, and the feed address made on the page serves the calendar.
 */
class GuildCalendarBrowserTest extends InChromium {

  @Test
  void anAdminSetsTheGuildsZoneAndBreaksAndSeesThemInThePreviewAndTheFeed() throws Exception {
    logInWithPassword();

    long guild = world.guild.id();
    // Two days from now (the application runs on the real clock), so that it is among the next five.
    LocalDate holiday = LocalDate.now(ZoneOffset.UTC).plusDays(2);
    browser.get(base + "/guilds/" + guild + "/settings");
    visible(By.name("timeZone")).sendKeys("america/new_york");
    browser.findElement(By.name("skips")).sendKeys(holiday + " retreat day\n2026-13-01 nonsense");
    browser.findElement(By.cssSelector("form.session button[type=submit]")).click();
    assertThat(visible(By.cssSelector("div.error")).getText()).contains("line 2:", "2026-13-01");
    WebElement skips = browser.findElement(By.name("skips"));
    skips.clear();
    skips.sendKeys(holiday + " retreat day");
    browser.findElement(By.cssSelector("form.session button[type=submit]")).click();
    waiting.until(d -> d.findElements(By.cssSelector("div.error")).isEmpty());
    assertThat(browser.findElement(By.name("timeZone")).getDomProperty("value")).isEqualTo("America/New_York");
    assertThat(world.carillon.calendars().settings(guild).skips()).hasSize(1);
    screenshot("guild-settings");

    browser.get(base + "/guilds/" + guild + "/sessions/new");
    visible(By.name("schedule")).sendKeys("daily 12:00 UTC");
    WebElement skipped = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#preview li.skipped")));
    assertThat(skipped.getText()).contains("skipped: retreat day (" + holiday + ")");
    assertThat(browser.findElement(By.id("preview")).getText()).contains("Next, in America/New_York");

    browser.get(base + "/guilds/" + guild + "/settings");
    visible(By.xpath("//button[text()='Make a feed address']")).click();
    String url = visible(By.id("feed-url")).getText();
    HttpResponse<String> feed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(feed.statusCode()).isEqualTo(200);
    assertThat(feed.body()).startsWith("BEGIN:VCALENDAR").contains("X-WR-TIMEZONE:America/New_York");
  }
}
