package carillon.bot.web.sessions;

import static carillon.bot.web.WebHarness.GUILD;
import static carillon.bot.web.auth.WebAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Guilds, sessions (every validation error), the schedule preview. */
class SessionsApiTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z"); // a Friday

  @TempDir Path dir;
  WebHarness w;

  /** The server under test, on a SQLite file; the PostgreSQL twin of this class overrides it. */
  WebHarness newHarness(Path dir) {
    return new WebHarness(dir, T0, 1_000_000);
  }
  Client alice;
  String bell;

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

  ObjectNode valid() {
    ObjectNode body = w.json.createObjectNode();
    body.put("name", "Morning meditation");
    body.put("voiceChannel", String.valueOf(WebHarness.HALL));
    body.put("textChannel", String.valueOf(WebHarness.NOTICES));
    body.put("mentionRole", String.valueOf(WebHarness.MEMBERS_ROLE));
    body.put("schedule", "weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh");
    body.putArray("playlist").add(bell);
    body.put("gapSeconds", 5);
    body.put("reminderMinutes", 10);
    return body;
  }

  Response create(ObjectNode body) {
    return alice.post("/api/guilds/" + GUILD + "/sessions", body.toString());
  }

  int stored() {
    return w.query(Integer.class, "SELECT count(*) FROM session");
  }

  @Test
  void aGuildOffersItsChannelsRolesAndBotAccounts() {
    JsonNode guild = alice.get("/api/guilds/" + GUILD).json();
    assertThat(guild.get("timeZone").asText()).isEqualTo("Asia/Ho_Chi_Minh");
    assertThat(guild.get("voiceChannels").findValuesAsText("name")).containsExactly("Garden", "Meditation Hall");
    assertThat(guild.get("voiceChannels").findValuesAsText("id")).containsExactly("2002", "2001");
    assertThat(guild.get("textChannels").findValuesAsText("name")).containsExactly("notices");
    assertThat(guild.get("roles").findValuesAsText("name")).containsExactly("members");
    assertThat(guild.get("accounts").get(0).asText()).isEqualTo("bot-a");
    assertThat(alice.get("/api/guilds").json().get("guilds").findValuesAsText("id")).containsExactly("1000", "5000");
    assertProblem(alice.get("/api/guilds/abc"), 400, "malformed-request");
  }

  @Test
  void aSessionIsCreatedListedWithItsNextOccurrenceAndRead() {
    Response created = create(valid());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    assertThat(created.headers().firstValue("Location")).hasValue("/api/sessions/" + id);
    JsonNode session = created.json();
    assertThat(session.get("guild").asText()).isEqualTo("1000");
    assertThat(session.get("voiceChannel").asText()).isEqualTo("2001");
    assertThat(session.get("mentionRole").asText()).isEqualTo("3001");
    assertThat(session.get("gapSeconds").asInt()).isEqualTo(5);
    assertThat(session.get("lateGraceMinutes").asInt()).isEqualTo(15);
    assertThat(session.get("maxDurationMinutes").isNull()).isTrue();
    assertThat(session.get("state").asText()).isEqualTo("SCHEDULED");
    // Friday 2026-03-27 00:00 UTC is 07:00 in Saigon: the next is Monday.
    assertThat(session.get("nextStart").asText()).isEqualTo("2026-03-30T00:00:00Z");
    assertThat(session.get("nextStartLocal").asText()).isEqualTo("2026-03-30T07:00:00+07:00");

    JsonNode list = alice.get("/api/guilds/" + GUILD + "/sessions").json();
    assertThat(list.get("timeZone").asText()).isEqualTo("Asia/Ho_Chi_Minh");
    assertThat(list.get("sessions").findValuesAsText("name")).containsExactly("Morning meditation");
    assertThat(alice.get("/api/sessions/" + id).json()).isEqualTo(session);
    assertThat(w.core.scheduler.nextStart(id)).hasValue(Instant.parse("2026-03-30T00:00:00Z"));
  }

  @Test
  void aPresencePolicyIsSetAndShown() {
    ObjectNode body = valid();
    body.put("waitForMemberMinutes", 10);
    body.put("whenAlone", "PAUSE");
    body.put("aloneAfterMinutes", 3);
    JsonNode session = create(body).json();
    assertThat(session.get("waitForMemberMinutes").asInt()).isEqualTo(10);
    assertThat(session.get("whenAlone").asText()).isEqualTo("PAUSE");
    assertThat(session.get("aloneAfterMinutes").asInt()).isEqualTo(3);

    JsonNode plain = create(valid().put("name", "Plain")).json();
    assertThat(plain.get("waitForMemberMinutes").isNull()).isTrue();
    assertThat(plain.get("whenAlone").asText()).isEqualTo("STAY");
    assertThat(plain.get("aloneAfterMinutes").isNull()).isTrue();
  }

  @Test
  void aNewSessionPublishesItsDiscordEventUnlessToldAndAnEditWithoutTheFieldKeepsTheChoice() {
    assertThat(create(valid()).json().get("publishEvent").asBoolean()).isTrue();
    JsonNode quiet = create(valid().put("name", "Quiet").put("publishEvent", false)).json();
    assertThat(quiet.get("publishEvent").asBoolean()).isFalse();

    Response edited = alice.put("/api/sessions/" + quiet.get("id").asLong(), valid().put("name", "Quiet still").toString());
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("publishEvent").asBoolean()).isFalse();
    Response published = alice.put("/api/sessions/" + quiet.get("id").asLong(),
        valid().put("name", "Quiet still").put("publishEvent", true).toString());
    assertThat(published.json().get("publishEvent").asBoolean()).isTrue();
    assertProblem(create(valid().put("name", "Odd").put("publishEvent", "yes")), 422, "invalid-input");
  }

  @Test
  void fadesAndShuffleAreSetShownAndKeptByAnEditThatDoesNotNameThem() {
    ObjectNode body = valid();
    body.put("fadeInSeconds", 4);
    body.put("fadeOutSeconds", 10);
    body.put("shuffle", true);
    JsonNode session = create(body).json();
    assertThat(session.get("fadeInSeconds").asInt()).isEqualTo(4);
    assertThat(session.get("fadeOutSeconds").asInt()).isEqualTo(10);
    assertThat(session.get("shuffle").asBoolean()).isTrue();
    long id = session.get("id").asLong();
    // An edit from a client that knows nothing of fades keeps them.
    Response edited = alice.put("/api/sessions/" + id, valid().put("gapSeconds", 9).toString());
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("fadeOutSeconds").asInt()).isEqualTo(10);
    assertThat(edited.json().get("shuffle").asBoolean()).isTrue();
    // Naming one of them sets all three: the others fall back to none.
    JsonNode cleared = alice.put("/api/sessions/" + id, valid().put("shuffle", false).toString()).json();
    assertThat(cleared.get("fadeInSeconds").asInt()).isZero();
    assertThat(cleared.get("fadeOutSeconds").asInt()).isZero();
    assertThat(cleared.get("shuffle").asBoolean()).isFalse();
    JsonNode plain = create(valid().put("name", "Plain")).json();
    assertThat(plain.get("fadeInSeconds").asInt()).isZero();
    assertThat(plain.get("shuffle").asBoolean()).isFalse();
  }

  @Test
  void idsMayBeNumbersToo() {
    ObjectNode body = valid();
    body.put("voiceChannel", WebHarness.HALL);
    assertThat(create(body).status()).isEqualTo(201);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("empty name", (Consumer<ObjectNode>) b -> b.put("name", " "), "name"),
        Arguments.of("long name", (Consumer<ObjectNode>) b -> b.put("name", "x".repeat(101)), "name"),
        Arguments.of("script in name", (Consumer<ObjectNode>) b -> b.put("name", "<script>alert(1)</script>"), "name"),
        Arguments.of("name not a string", (Consumer<ObjectNode>) b -> b.put("name", 7), "name"),
        Arguments.of("no name", (Consumer<ObjectNode>) b -> b.remove("name"), "name"),
        Arguments.of("no voice channel", (Consumer<ObjectNode>) b -> b.remove("voiceChannel"), "voiceChannel"),
        Arguments.of("unknown voice channel", (Consumer<ObjectNode>) b -> b.put("voiceChannel", "9999"), "voiceChannel"),
        Arguments.of("voice channel of another guild", (Consumer<ObjectNode>) b -> b.put("voiceChannel",
            String.valueOf(WebHarness.OTHER_VOICE)), "voiceChannel"),
        Arguments.of("text channel as voice", (Consumer<ObjectNode>) b -> b.put("voiceChannel", "2003"), "voiceChannel"),
        Arguments.of("voice channel not an id", (Consumer<ObjectNode>) b -> b.put("voiceChannel", "hall"), "voiceChannel"),
        Arguments.of("voice channel negative", (Consumer<ObjectNode>) b -> b.put("voiceChannel", -5), "voiceChannel"),
        Arguments.of("voice channel as text", (Consumer<ObjectNode>) b -> b.put("textChannel", "2001"), "textChannel"),
        Arguments.of("unknown role", (Consumer<ObjectNode>) b -> b.put("mentionRole", "42"), "mentionRole"),
        Arguments.of("bad schedule", (Consumer<ObjectNode>) b -> b.put("schedule", "weekly XYZ 07:00 UTC"), "schedule"),
        Arguments.of("schedule zone", (Consumer<ObjectNode>) b -> b.put("schedule", "daily 07:00 Mars/Olympus"), "schedule"),
        Arguments.of("no schedule", (Consumer<ObjectNode>) b -> b.remove("schedule"), "schedule"),
        Arguments.of("empty playlist", (Consumer<ObjectNode>) b -> b.putArray("playlist"), "playlist"),
        Arguments.of("unknown audio", (Consumer<ObjectNode>) b -> b.putArray("playlist").add("f".repeat(64)), "playlist[0]"),
        Arguments.of("playlist not a list", (Consumer<ObjectNode>) b -> b.put("playlist", "bell"), "playlist"),
        Arguments.of("playlist entry not a string", (Consumer<ObjectNode>) b -> b.putArray("playlist").add(5), "playlist[0]"),
        Arguments.of("gap too long", (Consumer<ObjectNode>) b -> b.put("gapSeconds", 3601), "gapSeconds"),
        Arguments.of("negative gap", (Consumer<ObjectNode>) b -> b.put("gapSeconds", -1), "gapSeconds"),
        Arguments.of("gap as string", (Consumer<ObjectNode>) b -> b.put("gapSeconds", "5"), "gapSeconds"),
        Arguments.of("gap fractional", (Consumer<ObjectNode>) b -> b.put("gapSeconds", 1.5), "gapSeconds"),
        Arguments.of("zero max duration", (Consumer<ObjectNode>) b -> b.put("maxDurationMinutes", 0), "maxDurationMinutes"),
        Arguments.of("repeat without max", (Consumer<ObjectNode>) b -> b.put("repeat", true), "repeat"),
        Arguments.of("reminder too early", (Consumer<ObjectNode>) b -> b.put("reminderMinutes", 1441), "reminderMinutes"),
        Arguments.of("huge reminder", (Consumer<ObjectNode>) b -> b.put("reminderMinutes", 99999999999L), "reminderMinutes"),
        Arguments.of("long start text", (Consumer<ObjectNode>) b -> b.put("startText", "x".repeat(2001)), "startText"),
        Arguments.of("long end text", (Consumer<ObjectNode>) b -> b.put("endText", "x".repeat(2001)), "endText"),
        Arguments.of("grace too long", (Consumer<ObjectNode>) b -> b.put("lateGraceMinutes", 1441), "lateGraceMinutes"),
        Arguments.of("enabled as string", (Consumer<ObjectNode>) b -> b.put("enabled", "yes"), "enabled"),
        Arguments.of("repeat as number", (Consumer<ObjectNode>) b -> b.put("repeat", 1), "repeat"),
        Arguments.of("wait too long", (Consumer<ObjectNode>) b -> b.put("waitForMemberMinutes", 121), "waitForMemberMinutes"),
        Arguments.of("fade in too long", (Consumer<ObjectNode>) b -> b.put("fadeInSeconds", 31), "fadeInSeconds"),
        Arguments.of("negative fade out", (Consumer<ObjectNode>) b -> b.put("fadeOutSeconds", -1), "fadeOutSeconds"),
        Arguments.of("shuffle not a boolean", (Consumer<ObjectNode>) b -> b.put("shuffle", "yes"), "shuffle"),
        Arguments.of("unknown when alone", (Consumer<ObjectNode>) b -> b.put("whenAlone", "SULK"), "whenAlone"),
        Arguments.of("when alone without minutes", (Consumer<ObjectNode>) b -> b.put("whenAlone", "END"), "aloneAfterMinutes"),
        Arguments.of("unknown field", (Consumer<ObjectNode>) b -> b.put("colour", "blue"), "colour"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void anInvalidSessionIsRefusedNamingTheFieldAndNothingIsStored(String what, Consumer<ObjectNode> change, String field) {
    ObjectNode body = valid();
    change.accept(body);
    Response refused = create(body);
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").findValuesAsText("field")).contains(field);
    refused.json().get("errors").forEach(e -> assertThat(e.get("message").asText()).isNotBlank());
    assertThat(stored()).isZero();

    // The same input is refused when editing, and the session stays as it was.
    long id = create(valid()).json().get("id").asLong();
    JsonNode before = alice.get("/api/sessions/" + id).json();
    Response edit = alice.put("/api/sessions/" + id, body.toString());
    assertProblem(edit, 422, "invalid-input");
    assertThat(edit.json().get("errors").findValuesAsText("field")).contains(field);
    assertThat(alice.get("/api/sessions/" + id).json()).isEqualTo(before);
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    ObjectNode body = valid();
    body.put("voiceChannel", "9999");
    body.put("schedule", "daily 25:00 UTC");
    body.putArray("playlist");
    body.put("lateGraceMinutes", -1);
    body.put("gapSeconds", "five");
    body.put("name", "<b>Morning</b>");
    body.put("textChannel", "notices");
    Response refused = create(body);
    // Fields the API could not read and fields the core refused, each once.
    assertThat(refused.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
        "voiceChannel", "schedule", "playlist", "lateGraceMinutes", "gapSeconds", "name", "textChannel");
    assertThat(refused.json().get("detail").asText()).startsWith("7 fields are invalid");
    assertThat(stored()).isZero();
  }

  @Test
  void aNameIsUniqueInItsGuild() {
    assertThat(create(valid()).status()).isEqualTo(201);
    Response duplicate = create(valid());
    assertProblem(duplicate, 422, "invalid-input");
    assertThat(duplicate.json().get("errors").get(0).get("message").asText()).contains("already exists");
    assertThat(stored()).isOne();
  }

  @Test
  void aSessionIsEditedEnabledDisabledAndDeleted() {
    long id = create(valid()).json().get("id").asLong();
    ObjectNode edit = valid();
    edit.put("name", "Evening meditation");
    edit.put("schedule", "daily 19:00 Asia/Ho_Chi_Minh");
    edit.put("maxDurationMinutes", 45);
    edit.put("repeat", true);
    Response edited = alice.put("/api/sessions/" + id, edit.toString());
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("name").asText()).isEqualTo("Evening meditation");
    assertThat(edited.json().get("maxDurationMinutes").asInt()).isEqualTo(45);
    assertThat(edited.json().get("nextStartLocal").asText()).isEqualTo("2026-03-27T19:00:00+07:00");

    Response disabled = alice.put("/api/sessions/" + id + "/enabled", "{\"enabled\": false}");
    assertThat(disabled.json().get("state").asText()).isEqualTo("DISABLED");
    assertThat(disabled.json().get("nextStart").isNull()).isTrue();
    assertThat(w.core.scheduler.nextStart(id)).isEmpty();
    Response missing = alice.put("/api/sessions/" + id + "/enabled", "{}");
    assertProblem(missing, 422, "invalid-input");
    assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("enabled");
    assertThat(alice.put("/api/sessions/" + id + "/enabled", "{\"enabled\": true}").json().get("state").asText())
        .isEqualTo("SCHEDULED");

    assertThat(alice.delete("/api/sessions/" + id).status()).isEqualTo(204);
    assertProblem(alice.get("/api/sessions/" + id), 404, "not-found");
    assertProblem(alice.delete("/api/sessions/" + id), 404, "not-found");
    assertThat(stored()).isZero();
  }

  @Test
  void unknownAndMalformedSessionIdsAreFourHundreds() {
    assertProblem(alice.get("/api/sessions/999"), 404, "not-found");
    assertProblem(alice.put("/api/sessions/999", valid().toString()), 404, "not-found");
    assertProblem(alice.put("/api/sessions/999/enabled", "{\"enabled\": true}"), 404, "not-found");
    assertProblem(alice.delete("/api/sessions/999"), 404, "not-found");
    Response word = alice.get("/api/sessions/first");
    assertProblem(word, 400, "malformed-request");
    assertThat(word.json().get("errors").get(0).get("field").asText()).isEqualTo("session");
    assertProblem(alice.get("/api/sessions/99999999999999999999999"), 400, "malformed-request");
    assertProblem(alice.get("/api/sessions/-1"), 400, "malformed-request");
    assertThat(stored()).isZero();
  }

  @Test
  void theSchedulePreviewShowsTheNextOccurrencesInTheGuildsTimeZone() {
    Response preview = alice.get("/api/guilds/" + GUILD + "/schedule-preview?schedule="
        + encode("weekly MON,WED 07:00 Europe/Paris"));
    assertThat(preview.status()).isEqualTo(200);
    JsonNode body = preview.json();
    assertThat(body.get("zone").asText()).isEqualTo("Asia/Ho_Chi_Minh");
    assertThat(body.get("schedule").asText()).isEqualTo("weekly MON,WED 07:00 Europe/Paris");
    // Paris moves to summer time on Sunday 2026-03-29: 07:00 in Paris is then 12:00 in Saigon.
    assertThat(body.get("occurrences").findValuesAsText("local")).containsExactly("2026-03-30T12:00:00+07:00",
        "2026-04-01T12:00:00+07:00", "2026-04-06T12:00:00+07:00", "2026-04-08T12:00:00+07:00", "2026-04-13T12:00:00+07:00");
    assertThat(body.get("occurrences").get(0).get("at").asText()).isEqualTo("2026-03-30T05:00:00Z");

    JsonNode inParis = alice.get("/api/guilds/" + GUILD + "/schedule-preview?count=2&zone=europe/paris&schedule="
        + encode("weekly MON 07:00 Europe/Paris")).json();
    assertThat(inParis.get("occurrences").findValuesAsText("local")).containsExactly("2026-03-30T07:00:00+02:00",
        "2026-04-06T07:00:00+02:00");
    assertThat(inParis.get("zone").asText()).as("zone names in any case, shown canonical").isEqualTo("Europe/Paris");
    assertThat(alice.get("/api/guilds/" + GUILD + "/schedule-preview?schedule=" + encode("once 2026-01-01T00:00:00Z"))
        .json().get("occurrences")).isEmpty();
    assertThat(stored()).isZero();
  }

  @Test
  void aBadSchedulePreviewNamesTheField() {
    Response bad = alice.get("/api/guilds/" + GUILD + "/schedule-preview?schedule=" + encode("weekly XYZ 07:00 UTC"));
    assertProblem(bad, 422, "invalid-input");
    assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("schedule");
    assertThat(bad.json().get("errors").get(0).get("message").asText()).contains("XYZ");
    Response missing = alice.get("/api/guilds/" + GUILD + "/schedule-preview");
    assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("schedule");
    Response zone = alice.get("/api/guilds/" + GUILD + "/schedule-preview?zone=Nowhere&schedule=" + encode("daily 07:00 UTC"));
    assertThat(zone.json().get("errors").get(0).get("field").asText()).isEqualTo("zone");
    assertProblem(alice.get("/api/guilds/" + GUILD + "/schedule-preview?count=21&schedule=" + encode("daily 07:00 UTC")),
        422, "invalid-input");
    assertProblem(alice.get("/api/guilds/" + GUILD + "/schedule-preview?count=many&schedule=" + encode("daily 07:00 UTC")),
        400, "malformed-request");
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
