package carillon.bot.web.calendar;

import static carillon.bot.web.WebHarness.GUILD;
import static carillon.bot.web.WebHarness.encode;
import static carillon.bot.web.auth.WebAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.property.DtStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guild's settings, the preview with skipped occurrences, the ICS feed and the ICS import, over HTTP. */
class GuildCalendarApiTest {
  static final Instant T0 = Instant.parse("2026-09-20T00:00:00Z");
  static final String FORTNIGHT_NY =
      "rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-09-21T19:00 America/New_York except 2026-10-19";
  static final String FORTNIGHT_LH = "rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=SU from 2026-09-20T02:15 Australia/Lord_Howe";
  static final String FIRST_SUNDAY = "rrule FREQ=MONTHLY;BYDAY=1SU from 2026-09-06T07:00 America/New_York";
  static final String LAST_FRIDAY = "rrule FREQ=MONTHLY;BYDAY=-1FR from 2026-09-25T19:00 Australia/Lord_Howe";

  @TempDir Path dir;
  WebHarness w;
  Client alice;
  String bell;

  /** The server under test, on a SQLite file; the PostgreSQL twin of this class overrides it. */
  WebHarness newHarness(Path dir) {
    return new WebHarness(dir, T0, 1_000_000);
  }

  @BeforeEach
  void setUp() throws Exception {
    w = newHarness(dir);
    w.owner("alice");
    alice = w.login("alice");
    bell = w.core.track("Bell", Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  String settings(String zone, String language, String... datesAndLabels) {
    ObjectNode body = w.json.createObjectNode();
    body.put("timeZone", zone);
    body.put("language", language);
    var skips = body.putArray("skips");
    for (int i = 0; i < datesAndLabels.length; i += 2) {
      skips.addObject().put("dates", datesAndLabels[i]).put("label", datesAndLabels[i + 1]);
    }
    return body.toString();
  }

  void breaks() {
    Response saved = alice.put("/api/guilds/" + GUILD + "/settings", settings("america/new_york", "vi",
        "2026-11-10..2026-11-20", "summer break", "2026-12-25", "Christmas"));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
  }

  long session(String name, String schedule) {
    ObjectNode body = w.json.createObjectNode();
    body.put("name", name);
    body.put("voiceChannel", String.valueOf(WebHarness.HALL));
    body.put("schedule", schedule);
    body.putArray("playlist").add(bell);
    Response created = alice.post("/api/guilds/" + GUILD + "/sessions", body.toString());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  @Test
  void settingsAreStoredWithTheDefaultsShownAndRefusedFieldByField() {
    JsonNode defaults = alice.get("/api/guilds/" + GUILD + "/settings").json();
    assertThat(defaults.get("timeZone").asText()).isEqualTo("Asia/Ho_Chi_Minh");
    assertThat(defaults.get("ownTimeZone").isNull()).isTrue();
    assertThat(defaults.get("languages")).extracting(JsonNode::asText).containsExactly("en", "vi");
    assertThat(defaults.get("skips")).isEmpty();

    Response bad = alice.put("/api/guilds/" + GUILD + "/settings", settings("Mars/Olympus", "fr",
        "2026-12-25", "Christmas", "2026-08-31..2026-07-01", "backwards", "2026-13-01", "nonsense", "2026-01-01",
        "x".repeat(101)));
    assertProblem(bad, 422, "invalid-input");
    Map<String, String> errors = new TreeMap<>();
    bad.json().get("errors").forEach(e -> errors.put(e.get("field").asText(), e.get("message").asText()));
    assertThat(errors).containsOnlyKeys("timeZone", "language", "skips[1].dates", "skips[2].dates", "skips[3].label");
    assertThat(errors.get("language")).contains("en, vi");
    assertThat(errors.get("skips[1].dates")).contains("ends before it starts");
    assertThat(errors.get("skips[3].label")).contains("at most 100");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM guild_skip")).isZero();
    Response unknown = alice.put("/api/guilds/" + GUILD + "/settings", "{\"skips\":[{\"date\":\"2026-12-25\"}]}");
    assertProblem(unknown, 422, "invalid-input");
    assertThat(unknown.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("skips[0].dates",
        "skips[0].date");

    breaks();
    JsonNode now = alice.get("/api/guilds/" + GUILD + "/settings").json();
    assertThat(now.get("timeZone").asText()).isEqualTo("America/New_York");
    assertThat(now.get("ownLanguage").asText()).isEqualTo("vi");
    assertThat(now.get("skips").findValuesAsText("dates")).containsExactly("2026-11-10..2026-11-20", "2026-12-25");
    assertThat(now.get("skips").findValuesAsText("label")).containsExactly("summer break", "Christmas");
    // The guild's zone is where its sessions' times are shown.
    assertThat(alice.get("/api/guilds/" + GUILD + "/sessions").json().get("timeZone").asText())
        .isEqualTo("America/New_York");
    assertThat(alice.get("/api/guilds/" + GUILD).json().get("timeZone").asText()).isEqualTo("America/New_York");
    // Empty means the default again.
    assertThat(alice.put("/api/guilds/" + GUILD + "/settings", settings("", "")).json().get("timeZone").asText())
        .isEqualTo("Asia/Ho_Chi_Minh");
  }

  @Test
  void thePreviewMarksSkippedOccurrencesWithWhyAcrossDstInTwoZones() {
    breaks();
    JsonNode ny = alice.get("/api/guilds/" + GUILD + "/schedule-preview?count=7&schedule=" + encode(FORTNIGHT_NY)).json();
    assertThat(ny.get("zone").asText()).isEqualTo("America/New_York");
    List<String> shown = new ArrayList<>();
    ny.get("occurrences").forEach(o -> shown.add(o.get("local").asText() + " "
        + (o.get("skippedBecause").isNull() ? "plays" : o.get("skippedBecause").asText())));
    // 19:00 EDT until the clocks go back on 1 November, 19:00 EST after.
    assertThat(shown).containsExactly(
        "2026-09-21T19:00:00-04:00 plays",
        "2026-10-05T19:00:00-04:00 plays",
        "2026-10-19T19:00:00-04:00 except 2026-10-19",
        "2026-11-02T19:00:00-05:00 plays",
        "2026-11-16T19:00:00-05:00 summer break (2026-11-10..2026-11-20)",
        "2026-11-30T19:00:00-05:00 plays",
        "2026-12-14T19:00:00-05:00 plays");

    JsonNode lh = alice.get("/api/guilds/" + GUILD + "/schedule-preview?count=4&zone=Australia/Lord_Howe&schedule="
        + encode(LAST_FRIDAY)).json();
    List<String> lhShown = new ArrayList<>();
    lh.get("occurrences").forEach(o -> lhShown.add(o.get("local").asText() + " "
        + (o.get("skippedBecause").isNull() ? "plays" : o.get("skippedBecause").asText())));
    // Lord Howe is UTC+10:30, and UTC+11 from 4 October (a half-hour change).
    assertThat(lhShown).containsExactly(
        "2026-09-25T19:00:00+10:30 plays",
        "2026-10-30T19:00:00+11:00 plays",
        "2026-11-27T19:00:00+11:00 plays",
        "2026-12-25T19:00:00+11:00 Christmas (2026-12-25)");
  }

  /** The feed's VEVENT start instants by SUMMARY, in order, and the zone of their DTSTART. */
  static Map<String, List<Instant>> starts(Calendar calendar, List<String> zones) {
    Map<String, List<Instant>> starts = new TreeMap<>();
    for (VEvent event : calendar.<VEvent>getComponents(Component.VEVENT)) {
      String name = event.getProperty(Property.SUMMARY).orElseThrow().getValue();
      DtStart<Temporal> dtStart = event.<DtStart<Temporal>>getProperty(Property.DTSTART).orElseThrow();
      Temporal start = dtStart.getDate();
      zones.add(dtStart.<TzId>getParameter(Parameter.TZID).orElseThrow().getValue());
      starts.computeIfAbsent(name, n -> new ArrayList<>()).add(Instant.from(start));
    }
    return starts;
  }

  List<Instant> previewed(String schedule, int count) {
    List<Instant> plays = new ArrayList<>();
    alice.get("/api/guilds/" + GUILD + "/schedule-preview?count=" + count + "&schedule=" + encode(schedule)).json()
        .get("occurrences").forEach(o -> {
          if (o.get("skippedBecause").isNull()) {
            plays.add(Instant.parse(o.get("at").asText()));
          }
        });
    return plays;
  }

  @Test
  void theFeedParsesInIcal4jListsThePreviewsInstantsAndIsRevocable() throws Exception {
    breaks();
    session("Fortnight NY", FORTNIGHT_NY);
    session("Fortnight LH", FORTNIGHT_LH);
    session("First Sunday", FIRST_SUNDAY);
    session("Last Friday", LAST_FRIDAY);
    Response made = alice.post("/api/guilds/" + GUILD + "/calendar-feed", "{}");
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    String path = made.json().get("path").asText();
    assertThat(made.json().get("url").asText()).endsWith(path).startsWith("http://127.0.0.1:");
    assertThat(w.query(String.class, "SELECT feed_token_hash FROM guild_settings WHERE guild_id = ?", GUILD))
        .hasSize(64).isNotEqualTo(path.substring("/calendar/".length(), path.length() - 4));

    Response feed = w.anonymous().get(path);
    assertThat(feed.status()).as(feed.toString()).isEqualTo(200);
    assertThat(feed.contentType()).startsWith("text/calendar");
    Calendar calendar = new CalendarBuilder().build(new StringReader(feed.body()));
    List<String> zones = new ArrayList<>();
    Map<String, List<Instant>> starts = starts(calendar, zones);
    assertThat(zones).containsOnly("America/New_York");
    assertThat(calendar.getComponents(Component.VTIMEZONE)).hasSize(1);
    // The same instants as the preview, skipped ones left out (the first 20 occurrences, skipped counted).
    for (var entry : Map.of("Fortnight NY", FORTNIGHT_NY, "Fortnight LH", FORTNIGHT_LH, "First Sunday", FIRST_SUNDAY,
        "Last Friday", LAST_FRIDAY).entrySet()) {
      List<Instant> preview = previewed(entry.getValue(), 6);
      assertThat(starts.get(entry.getKey())).as(entry.getKey()).startsWith(preview.toArray(Instant[]::new));
    }
    assertThat(starts.get("Fortnight NY")).doesNotContain(Instant.parse("2026-10-19T23:00:00Z"),
        Instant.parse("2026-11-17T00:00:00Z")).contains(Instant.parse("2026-11-03T00:00:00Z"));
    assertThat(starts.get("Last Friday")).doesNotContain(Instant.parse("2026-12-25T08:00:00Z"))
        .contains(Instant.parse("2026-09-25T08:30:00Z"), Instant.parse("2026-10-30T08:00:00Z"));
    assertThat(starts.get("Fortnight LH")).contains(Instant.parse("2026-10-03T15:45:00Z"))
        .doesNotContain(Instant.parse("2026-11-14T15:15:00Z"));

    // A new URL revokes the old one; revoking ends the new one.
    String newPath = alice.post("/api/guilds/" + GUILD + "/calendar-feed", "{}").json().get("path").asText();
    assertProblem(w.anonymous().get(path), 404, "not-found");
    assertThat(w.anonymous().get(newPath).status()).isEqualTo(200);
    assertThat(alice.delete("/api/guilds/" + GUILD + "/calendar-feed").status()).isEqualTo(204);
    assertProblem(w.anonymous().get(newPath), 404, "not-found");
    assertProblem(alice.delete("/api/guilds/" + GUILD + "/calendar-feed"), 404, "not-found");
  }

  static final String ICS = """
      BEGIN:VCALENDAR\r
      VERSION:2.0\r
      PRODID:-//Test//EN\r
      BEGIN:VEVENT\r
      UID:first-sunday@test\r
      DTSTAMP:20260901T000000Z\r
      SUMMARY:Sangha\r
      DTSTART;TZID=America/New_York:20261004T070000\r
      DTEND;TZID=America/New_York:20261004T080000\r
      RRULE:FREQ=MONTHLY;BYDAY=1SU\r
      EXDATE;TZID=America/New_York:20261101T070000\r
      END:VEVENT\r
      BEGIN:VEVENT\r
      UID:once@test\r
      DTSTAMP:20260901T000000Z\r
      SUMMARY:Retreat opening\r
      DTSTART:20261010T230000Z\r
      END:VEVENT\r
      BEGIN:VEVENT\r
      UID:allday@test\r
      DTSTAMP:20260901T000000Z\r
      SUMMARY:Holiday\r
      DTSTART;VALUE=DATE:20261225\r
      END:VEVENT\r
      BEGIN:VEVENT\r
      UID:past@test\r
      DTSTAMP:20260901T000000Z\r
      SUMMARY:Old one\r
      DTSTART:20250101T100000Z\r
      END:VEVENT\r
      END:VCALENDAR\r
      """;

  Response upload(String ics) {
    return alice.send(alice.changing("/api/guilds/" + GUILD + "/ics-import").header("Content-Type", "text/calendar")
        .POST(HttpRequest.BodyPublishers.ofString(ics)).build());
  }

  @Test
  void anIcsFileIsPreviewedAsSessionsAndConfirmedIntoThem() {
    breaks();
    Response preview = upload(ICS);
    assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
    JsonNode events = preview.json().get("events");
    assertThat(events).as(preview.body()).hasSize(4);
    assertThat(events.get(0).get("problem").isNull()).as(preview.body()).isTrue();
    assertThat(events.get(0).get("schedule").asText())
        .isEqualTo("rrule FREQ=MONTHLY;BYDAY=1SU from 2026-10-04T07:00 America/New_York except 2026-11-01T07:00");
    // A one-off is stored as its instant (the canonical form of once).
    assertThat(events.get(1).get("schedule").asText()).isEqualTo("once 2026-10-10T23:00:00Z");
    assertThat(events.get(2).get("problem").asText()).contains("all-day");
    assertThat(events.get(3).get("problem").asText()).contains("once 2025-01-01T05:00 America/New_York");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM session")).isZero();

    ObjectNode confirm = w.json.createObjectNode();
    confirm.put("voiceChannel", String.valueOf(WebHarness.HALL));
    confirm.putArray("playlist").add(bell);
    var chosen = confirm.putArray("sessions");
    chosen.addObject().put("name", "Sangha").put("schedule", events.get(0).get("schedule").asText());
    chosen.addObject().put("name", "Retreat opening").put("schedule", events.get(1).get("schedule").asText());
    Response created = alice.post("/api/guilds/" + GUILD + "/ics-import/confirm", confirm.toString());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("sessions").findValuesAsText("name")).containsExactly("Sangha", "Retreat opening");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM session")).isEqualTo(2);

    // All or none: a name taken and a bad schedule refuse the whole confirmation, naming each.
    ObjectNode again = confirm.deepCopy();
    ArrayNode items = again.putArray("sessions");
    items.addObject().put("name", "New one").put("schedule", "weekly XYZ 07:00 UTC");
    items.addObject().put("name", "Sangha").put("schedule", "daily 07:00 UTC");
    Response refused = alice.post("/api/guilds/" + GUILD + "/ics-import/confirm", again.toString());
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").findValuesAsText("field"))
        .contains("sessions[0].schedule", "sessions[1].name");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM session")).isEqualTo(2);
  }

  @Test
  void aBadFileSaysWhichEventAndWhatWasWrong() {
    Response garbage = upload("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n");
    assertProblem(garbage, 422, "invalid-input");
    assertThat(garbage.json().get("errors").get(0).get("field").asText()).isEqualTo("file");
    assertThat(garbage.json().get("errors").get(0).get("message").asText()).contains("line");

    Response none = upload("""
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Test//EN\r
        BEGIN:VEVENT\r
        UID:nameless@test\r
        DTSTAMP:20260901T000000Z\r
        DTSTART;TZID=Europe/Paris:20261004T070000\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:bad-rule@test\r
        DTSTAMP:20260901T000000Z\r
        SUMMARY:Bad rule\r
        DTSTART;TZID=Europe/Paris:20261004T070000\r
        RRULE:FREQ=WEEKLY;INTERVAL=0\r
        END:VEVENT\r
        END:VCALENDAR\r
        """);
    assertProblem(none, 422, "invalid-input");
    List<String> messages = none.json().get("errors").findValuesAsText("message");
    assertThat(messages.get(0)).contains("event 1", "nameless@test", "SUMMARY");
    assertThat(messages.get(1)).contains("event 2 'Bad rule'", "INTERVAL");

    Response notIcs = alice.post("/api/guilds/" + GUILD + "/ics-import", "{}");
    assertProblem(notIcs, 415, "unsupported-media-type");
  }
}
