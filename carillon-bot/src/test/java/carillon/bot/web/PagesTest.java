package carillon.bot.web;

import static carillon.bot.web.WebHarness.GUILD;
import static carillon.bot.web.WebHarness.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.app.DemoAudio;
import carillon.bot.guild.Role;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sound;
import carillon.bot.testing.Harness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import carillon.bot.web.http.Pages;
import carillon.bot.web.library.LibraryApiTest.Part;
import carillon.bot.web.library.LibraryApiTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin pages over HTTP (no browser): redirects, forms, field errors, escaping, CSRF. */
class PagesTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

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

  long morning() {
    return w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 07:00 Asia/Ho_Chi_Minh").playlist(List.of(bell)).gap(Duration.ZERO)
        .lateGrace(Duration.ofMinutes(15)).build()).id();
  }

  static void assertPage(Response page, int status) {
    assertThat(page.status()).as(page.toString()).isEqualTo(status);
    assertThat(page.contentType()).startsWith("text/html");
  }

  @Test
  void aPersonLogsInThroughTheLoginPage() {
    Client browser = w.anonymous();
    Response home = browser.get("/");
    assertThat(home.status()).isEqualTo(303);
    assertThat(home.headers().firstValue("Location")).hasValue("/login");
    assertPage(browser.get("/login"), 200);

    Response wrong = browser.form("/login", "name", "alice", "password", "wrong");
    assertPage(wrong, 401);
    assertThat(wrong.body()).contains("wrong name or password", "value=\"alice\"");

    Response right = browser.form("/login", "name", "alice", "password", PASSWORD);
    assertThat(right.status()).isEqualTo(303);
    assertThat(right.headers().firstValue("Location")).hasValue("/");
    String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
    browser.cookie = cookie.substring(0, cookie.indexOf(';'));
    Response guilds = browser.get("/");
    assertPage(guilds, 200);
    assertThat(guilds.body()).contains("href=\"/guilds/1000\"", "href=\"/guilds/5000\"");

    // From another site, the login form is refused (login CSRF).
    Response crossSite = browser.send(browser.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(
            "name=alice&password=" + WebHarness.encode(PASSWORD))).build());
    assertPage(crossSite, 403);
    assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void anAdminOfOneGuildGoesStraightToIt() throws Exception {
    w.admin("bao", GUILD);
    Response home = w.login("bao").get("/");
    assertThat(home.status()).isEqualTo(303);
    assertThat(home.headers().firstValue("Location")).hasValue("/guilds/1000");
    assertPage(w.login("bao").get("/guilds/5000"), 403);
  }

  @Test
  void theSessionListShowsStateAndNextOccurrenceWithEveryNameEscaped() {
    morning();
    // Names from before the API refused markup, or from elsewhere, are still shown as text.
    w.core.create(SessionSpec.builder(GUILD, "<script>alert(1)</script>").voiceChannel(WebHarness.HALL)
        .schedule("daily 08:00 UTC").playlist(List.of(bell)).gap(Duration.ZERO).enabled(false)
        .lateGrace(Duration.ofMinutes(15)).build());
    Response page = alice.get("/guilds/1000");
    assertPage(page, 200);
    assertThat(page.body()).contains("Morning", "SCHEDULED", "Sat 28 Mar 2026, 07:00", "DISABLED",
        "&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)</script>");
    assertThat(page.body()).contains("name=\"_csrf\" value=\"" + alice.csrf + "\"");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
  }

  @Test
  void rolesAreShownWithOneAtSignEveryoneIncluded() {
    // Discord's @everyone role is named "@everyone" (its id is the guild's): it is not shown as "@@everyone".
    w.core.guilds.replaceGuild(Harness.GUILD, w.core.guilds.channels(Harness.GUILD),
        List.of(new Role(Harness.GUILD, Harness.GUILD, "@everyone"), new Role(Harness.GUILD, Harness.MEMBERS_ROLE, "members")));
    String form = alice.get("/guilds/1000/sessions/new").body();
    assertThat(form).contains(">@everyone</option>", ">@members</option>").doesNotContain("@@everyone");
  }

  @Test
  void theSessionFormShowsEveryProblemByFieldAndKeepsWhatWasTyped() {
    Response empty = alice.get("/guilds/1000/sessions/new");
    assertPage(empty, 200);
    assertThat(empty.body()).contains("Meditation Hall", "#notices", "@members", "Bell", "data-guild=\"1000\"",
        "name=\"publishEvent\" type=\"checkbox\" value=\"true\" checked");

    Response refused = alice.form("/guilds/1000/sessions", "_csrf", alice.csrf, "name", "Evening \"calm\" & <b>",
        "voiceChannel", "2001", "schedule", "weekly XYZ 07:00 UTC", "gapSeconds", "five", "enabled", "true");
    assertPage(refused, 422);
    assertThat(refused.body()).contains("name</strong>", "schedule</strong>", "playlist</strong>", "gapSeconds</strong>",
        "id=\"schedule-error\"", "XYZ", "value=\"weekly XYZ 07:00 UTC\"", "value=\"five\"",
        "Evening &quot;calm&quot; &amp; &lt;b&gt;").doesNotContain("<b>\"");
    assertThat(w.core.sessions.inGuild(GUILD)).isEmpty();

    Response created = alice.form("/guilds/1000/sessions", "_csrf", alice.csrf, "name", "Evening", "voiceChannel", "2001",
        "textChannel", "2003", "mentionRole", "", "schedule", "daily 19:00 Asia/Ho_Chi_Minh", "playlist", bell,
        "playlist", "", "gapSeconds", "5", "maxDurationMinutes", "", "reminderMinutes", "10", "lateGraceMinutes", "15",
        "fadeInSeconds", "3", "fadeOutSeconds", "8", "shuffle", "true", "enabled", "true");
    assertThat(created.status()).as(created.toString()).isEqualTo(303);
    assertThat(created.headers().firstValue("Location")).hasValue("/guilds/1000");
    var session = w.core.sessions.inGuild(GUILD).getFirst();
    assertThat(session.name()).isEqualTo("Evening");
    assertThat(session.textChannelId()).hasValue(WebHarness.NOTICES);
    assertThat(session.gap()).isEqualTo(Duration.ofSeconds(5));
    assertThat(session.reminder()).isEqualTo(Duration.ofMinutes(10));
    assertThat(session.publishEvent()).as("the box was not ticked").isFalse();
    assertThat(session.sound()).isEqualTo(new Sound(Duration.ofSeconds(3), Duration.ofSeconds(8), true));
    // The edit form shows them, and refuses a fade beyond the limit naming the field.
    assertThat(alice.get("/sessions/" + session.id() + "/edit").body())
        .contains("name=\"fadeOutSeconds\" type=\"number\" min=\"0\" max=\"30\" value=\"8\"", "name=\"shuffle\" type=\"checkbox\" value=\"true\" checked");
    Response tooLong = alice.form("/guilds/1000/sessions", "_csrf", alice.csrf, "name", "Faded", "voiceChannel", "2001",
        "schedule", "daily 19:00 UTC", "playlist", bell, "fadeInSeconds", "31", "enabled", "true");
    assertPage(tooLong, 422);
    assertThat(tooLong.body()).contains("fadeInSeconds</strong>");
  }

  @Test
  void formsWithoutTheCsrfTokenChangeNothing() {
    long id = morning();
    Response noToken = alice.form("/sessions/" + id + "/delete");
    assertPage(noToken, 403);
    assertThat(noToken.body()).contains("CSRF");
    Response wrongToken = alice.form("/sessions/" + id + "/enabled", "_csrf", "guess", "enabled", "false");
    assertPage(wrongToken, 403);
    assertThat(w.core.sessions.find(id).orElseThrow().enabled()).isTrue();
  }

  @Test
  void aSessionIsEditedDisabledAndDeletedFromItsPages() {
    long id = morning();
    Response edit = alice.get("/sessions/" + id + "/edit");
    assertPage(edit, 200);
    assertThat(edit.body()).contains("value=\"Morning\"", "value=\"daily 07:00 Asia/Ho_Chi_Minh\"", "Delete this session");
    Response saved = alice.form("/sessions/" + id, "_csrf", alice.csrf, "name", "Morning sit", "voiceChannel", "2001",
        "schedule", "daily 06:30 Asia/Ho_Chi_Minh", "playlist", bell, "enabled", "true");
    assertThat(saved.status()).as(saved.toString()).isEqualTo(303);
    assertThat(w.core.sessions.find(id).orElseThrow().name()).isEqualTo("Morning sit");
    assertThat(alice.form("/sessions/" + id + "/enabled", "_csrf", alice.csrf, "enabled", "false").status()).isEqualTo(303);
    assertThat(w.core.sessions.find(id).orElseThrow().enabled()).isFalse();
    assertThat(alice.form("/sessions/" + id + "/delete", "_csrf", alice.csrf).status()).isEqualTo(303);
    assertThat(w.core.sessions.find(id)).isEmpty();
    assertPage(alice.get("/sessions/" + id + "/edit"), 404);
  }

  @Test
  void controlsSendCommandsAndTheResultIsShown() {
    long id = morning();
    Response played = alice.form("/sessions/" + id + "/commands", "_csrf", alice.csrf, "kind", "PLAY");
    assertThat(played.status()).isEqualTo(303);
    String location = played.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/guilds/1000?command=");
    w.core.time.settle();
    assertThat(alice.get(location).body()).contains("PLAY: DONE, started &#39;Morning&#39; with bot-a", "PLAYING");
    Response volume = alice.form("/sessions/" + id + "/commands", "_csrf", alice.csrf, "kind", "VOLUME", "volume", "loud");
    assertPage(volume, 422);

    Response live = alice.get("/guilds/1000/live");
    assertPage(live, 200);
    assertThat(live.body()).contains("bot-a", "PLAYING", "Morning", "Bell: 0 s of 30 s", "/assets/live.js");
    // In Vietnamese the words change and the state a script reads stays the raw name.
    assertThat(inVietnamese(alice, "/guilds/1000/live").body()).contains("<p class=\"state\" data-state=\"PLAYING\">đang phát</p>",
        "Bell: 0 s trên 30 s", "đang kết nối…", "\"betweenTracks\": \"giữa hai bài\"").doesNotContain(">PLAYING<");
    alice.form("/sessions/" + id + "/commands", "_csrf", alice.csrf, "kind", "STOP");
    Response history = alice.get("/guilds/1000/history");
    assertPage(history, 200);
    assertThat(history.body()).contains("STOPPED", "alice", "started &#39;Morning&#39; with bot-a", "stopped &#39;Morning&#39;");
    Response lichSu = inVietnamese(alice, "/guilds/1000/history");
    assertPage(lichSu, 200);
    assertThat(lichSu.body()).contains("<html lang=\"vi\">", "Lịch sử:", "Các lần chạy", "data-outcome=\"STOPPED\">đã dừng</td>",
        "data-kind=\"PLAY\">Phát</td>", "data-status=\"DONE\">xong</td>").doesNotContain("Runs", "Outcome", ">STOPPED<");
    Response caiDat = inVietnamese(alice, "/guilds/1000/settings");
    assertPage(caiDat, 200);
    assertThat(caiDat.body()).contains("Cài đặt của", "Ngôn ngữ của thông báo", "Máy chủ này chưa có nguồn lịch.", ">Lưu</button>")
        .doesNotContain("Settings of", "Calendar feed", ">Save<");
  }

  /** A page as a browser that chose Vietnamese (the language links set this cookie) gets it. */
  private static Response inVietnamese(Client client, String path) {
    String cookies = String.join("; ", Stream.of(client.cookie, client.device, Pages.LANGUAGE_COOKIE + "=vi")
        .filter(Objects::nonNull).toList());
    return client.send(client.request(path).setHeader("Cookie", cookies).GET().build());
  }

  @Test
  void theLibraryPageUploadsRenamesAndDeletes() {
    Response page = alice.get("/library");
    assertPage(page, 200);
    assertThat(page.body()).contains("enctype=\"multipart/form-data\"", "Bell",
        "at most 0.3 MiB each"); // 300,000 bytes, in the unit of docs/web-api.md

    Response refused = upload(new Part("notes.wav", "not audio".getBytes(StandardCharsets.UTF_8)));
    assertPage(refused, 422);
    assertThat(refused.body()).contains("files[0]", "not audio Carillon can play");
    Response uploaded = upload(new Part("Temple bell.wav", DemoAudio.chime(528, 1)));
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(303);
    String id = w.library.list().stream().filter(a -> a.name().equals("Temple bell")).findFirst().orElseThrow().id();
    // A length is shown rounded to the nearest second: 1.55 s is "2 s", not "1 s".
    assertThat(upload(new Part("Long bell.wav", DemoAudio.chime(528, 1.55))).status()).isEqualTo(303);
    assertThat(alice.get("/library").body()).contains("<td>2 s</td>");

    Response badName = alice.form("/library/" + id + "/name", "_csrf", alice.csrf, "name", "<i>bell</i>");
    assertPage(badName, 422);
    assertThat(badName.body()).contains("must not contain").doesNotContain("<i>bell");
    assertThat(alice.form("/library/" + id + "/name", "_csrf", alice.csrf, "name", "Chime").status()).isEqualTo(303);
    assertThat(w.library.find(id).orElseThrow().name()).isEqualTo("Chime");

    morning(); // uses the harness's Bell
    Response inUse = alice.form("/library/" + bell + "/delete", "_csrf", alice.csrf);
    assertPage(inUse, 409);
    assertThat(inUse.body()).contains("remove it from them first");
    assertThat(alice.form("/library/" + id + "/delete", "_csrf", alice.csrf).status()).isEqualTo(303);
    assertThat(w.library.find(id)).isEmpty();
  }

  Response upload(Part... parts) {
    byte[] body = LibraryApiTest.multipart(List.of(parts));
    String csrfPart = "--" + LibraryApiTest.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
        + alice.csrf + "\r\n";
    byte[] all = new byte[csrfPart.length() + body.length];
    System.arraycopy(csrfPart.getBytes(StandardCharsets.UTF_8), 0, all, 0, csrfPart.length());
    System.arraycopy(body, 0, all, csrfPart.length(), body.length);
    return alice.send(alice.request("/library").header("Content-Type", "multipart/form-data; boundary="
        + LibraryApiTest.BOUNDARY).POST(HttpRequest.BodyPublishers.ofByteArray(all)).build());
  }

  @Test
  void loggingOutEndsTheLogin() {
    Response out = alice.form("/logout", "_csrf", alice.csrf);
    assertThat(out.status()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/login");
    assertThat(alice.get("/guilds/1000").headers().firstValue("Location")).hasValue("/login");
  }

  @Test
  void unknownPagesAndIdsAnswerWithAPage() {
    assertPage(alice.get("/nothing-here"), 404);
    assertPage(alice.get("/guilds/999"), 404);
    assertPage(alice.get("/sessions/abc/edit"), 400);
    assertPage(alice.get("/guilds/1000/history?runsBefore=x"), 400);
  }
}
