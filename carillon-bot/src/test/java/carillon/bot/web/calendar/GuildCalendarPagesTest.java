package carillon.bot.web.calendar;

import static carillon.bot.web.WebHarness.GUILD;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.session.SessionSpec;
import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guild settings page (zone, language, skipped dates, feed) and the .ics import pages. */
class GuildCalendarPagesTest {
  static final Instant T0 = Instant.parse("2026-09-20T00:00:00Z");

  @TempDir Path dir;
  WebHarness w;
  Client alice;
  String bell;

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, T0, 300_000);
    w.owner("alice");
    alice = w.login("alice");
    bell = w.core.track("Bell", Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  @Test
  void theSettingsPageShowsEveryProblemByLineAndSavesWhatIsRight() {
    Response page = alice.get("/guilds/" + GUILD + "/settings");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("name=\"timeZone\"", "name=\"skips\"", "Asia/Ho_Chi_Minh", "This guild has no feed");

    Response refused = alice.form("/guilds/" + GUILD + "/settings", "_csrf", alice.csrf, "timeZone", "Nowhere/Land",
        "language", "fr", "skips", "2026-12-25 Christmas\n2026-13-40 nonsense");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("Nowhere/Land", "line 2:", "timeZone", "language", "2026-13-40 nonsense");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM guild_skip")).isZero();

    Response saved = alice.form("/guilds/" + GUILD + "/settings", "_csrf", alice.csrf, "timeZone", "australia/lord_howe",
        "language", "vi", "skips", "2026-12-25 Christmas\n\n2026-07-01..2026-08-31 summer break\n");
    assertThat(saved.status()).isEqualTo(303);
    Response shown = alice.get("/guilds/" + GUILD + "/settings");
    assertThat(shown.body()).contains("value=\"Australia/Lord_Howe\"", "2026-07-01..2026-08-31 summer break",
        "<option value=\"vi\" selected>");

    // The sessions page shows times in the guild's zone now, in the guild's language (nobody picked another).
    w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 07:00 Australia/Lord_Howe").playlist(List.of(bell)).gap(Duration.ZERO)
        .lateGrace(Duration.ofMinutes(15)).build());
    assertThat(alice.get("/guilds/" + GUILD).body()).contains("<html lang=\"vi\">", "Giờ theo Australia/Lord_Howe", "07:00");

    Response feed = alice.form("/guilds/" + GUILD + "/settings/feed", "_csrf", alice.csrf);
    assertThat(feed.status()).isEqualTo(200);
    String url = feed.body().replaceAll("(?s).*<code id=\"feed-url\">([^<]+)</code>.*", "$1");
    assertThat(url).contains("/calendar/").endsWith(".ics");
    String path = url.substring(url.indexOf("/calendar/"));
    assertThat(w.anonymous().get(path).body()).contains("BEGIN:VCALENDAR", "SUMMARY:Morning",
        "TZID=Australia/Lord_Howe");
    assertThat(alice.form("/guilds/" + GUILD + "/settings/feed/delete", "_csrf", alice.csrf).status()).isEqualTo(303);
    assertThat(w.anonymous().get(path).status()).isEqualTo(404);
  }

  static final String BOUNDARY = "carillon-ics-boundary";

  Response uploadPage(String ics) {
    String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + alice.csrf + "\r\n"
        + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sangha.ics\"\r\n"
        + "Content-Type: text/calendar\r\n\r\n" + ics + "\r\n--" + BOUNDARY + "--\r\n";
    return alice.send(alice.request("/guilds/" + GUILD + "/import")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
  }

  @Test
  void anIcsUploadIsPreviewedThenConfirmedIntoSessions() {
    Response preview = uploadPage(GuildCalendarApiTest.ICS);
    assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
    assertThat(preview.body()).contains("Sangha",
        "rrule FREQ=MONTHLY;BYDAY=1SU from 2026-10-04T07:00 America/New_York except 2026-11-01T07:00",
        "not importable: is an all-day event");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM session")).isZero();

    Response bad = uploadPage("not a calendar");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body()).contains("Nothing was imported", "file", "line");

    Response confirmed = alice.form("/guilds/" + GUILD + "/import/confirm", "_csrf", alice.csrf,
        "name", "Sangha", "schedule",
        "rrule FREQ=MONTHLY;BYDAY=1SU from 2026-10-04T07:00 America/New_York except 2026-11-01T07:00",
        "name", "Holiday", "schedule", "", "import", "0",
        "voiceChannel", String.valueOf(WebHarness.HALL), "textChannel", "", "playlist", bell);
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(303);
    assertThat(w.query(String.class, "SELECT schedule FROM session WHERE name = 'Sangha'"))
        .isEqualTo("rrule FREQ=MONTHLY;BYDAY=1SU from 2026-10-04T07:00 America/New_York except 2026-11-01T07:00");
  }
}
