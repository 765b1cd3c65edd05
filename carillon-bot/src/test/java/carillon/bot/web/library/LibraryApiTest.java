package carillon.bot.web.library;

import static carillon.bot.web.auth.WebAuthTest.assertProblem;
import static carillon.bot.web.WebHarness.GUILD;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.app.DemoAudio;
import carillon.bot.session.SessionSpec;
import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The audio library: uploads checked by decoding, all or nothing; rename; delete; where used. */
public class LibraryApiTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");
  static final long MAX_UPLOAD = 300_000;

  @TempDir Path dir;
  WebHarness w;
  Client alice;

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, T0, MAX_UPLOAD);
    w.owner("alice");
    alice = w.login("alice");
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  public record Part(String fileName, byte[] content) {}

  public static final String BOUNDARY = "carillon-test-boundary";

  public static byte[] multipart(List<Part> parts) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Part part : parts) {
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + part.fileName()
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(part.content());
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Response upload(Client client, Part... parts) {
    return client.send(client.changing("/api/library")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(List.of(parts)))).build());
  }

  /** Audio files in the library's directory (what an upload leaves behind). */
  /** Audio files stored: originals, each with its Ogg/Opus copy beside it (asserted). */
  long storedFiles() throws IOException {
    Path audio = dir.resolve("data/audio");
    if (!Files.exists(audio)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(audio)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      List<Path> originals = all.stream().filter(f -> !f.getFileName().toString().endsWith(".opus")).toList();
      assertThat(all).hasSize(2 * originals.size());
      originals.forEach(f -> assertThat(f.resolveSibling(f.getFileName() + ".opus")).exists());
      return originals.size();
    }
  }

  void assertNothingStored() throws IOException {
    assertThat(alice.get("/api/library").json().get("items")).isEmpty();
    assertThat(storedFiles()).isZero();
    try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
      assertThat(left).as("temporary upload files").isEmpty();
    }
  }

  @Test
  void audioFilesAreUploadedDecodedAndListed() throws Exception {
    Response uploaded = upload(alice, new Part("Temple bell.wav", DemoAudio.chime(528, 1)),
        new Part("Settling tone.wav", DemoAudio.tone(432, 1.5)));
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    JsonNode items = uploaded.json().get("items");
    assertThat(items.findValuesAsText("name")).containsExactly("Temple bell", "Settling tone");
    assertThat(items.get(0).get("format").asText()).isEqualTo("wav");
    assertThat(items.get(1).get("durationMs").asLong()).isBetween(1450L, 1550L);
    assertThat(items.get(1).get("loudnessLufs").asDouble()).isBetween(-11.4, -10.9);
    // Encoded to Ogg/Opus at the default -18 LUFS: about 6.8 dB down.
    assertThat(items.get(1).get("opusGainDb").asDouble()).isBetween(-7.1, -6.6);
    assertThat(items.get(1).get("truePeakDbtp").asDouble()).isBetween(-10.7, -10.2);
    assertThat(items.get(0).get("id").asText()).matches("[0-9a-f]{64}");

    JsonNode library = alice.get("/api/library").json();
    assertThat(library.get("items").findValuesAsText("name")).containsExactly("Settling tone", "Temple bell");
    assertThat(library.get("maxUploadBytes").asLong()).isEqualTo(MAX_UPLOAD);
    assertThat(storedFiles()).isEqualTo(2);

    // The same content under its name again is the same item.
    Response again = upload(alice, new Part("temple BELL.wav", DemoAudio.chime(528, 1)));
    assertThat(again.json().get("items").get(0).get("name").asText()).isEqualTo("Temple bell");
    assertThat(storedFiles()).isEqualTo(2);
  }

  @Test
  void theSameContentUnderANewNameOrATakenNameIsAConflictNamingTheExistingFile() throws Exception {
    String bell = upload(alice, new Part("Temple bell.wav", DemoAudio.chime(528, 1))).json().get("items").get(0)
        .get("id").asText();
    Response copy = upload(alice, new Part("Copy.wav", DemoAudio.chime(528, 1)));
    assertProblem(copy, 409, "conflict");
    assertThat(copy.json().get("errors").get(0).get("field").asText()).isEqualTo("files[0]");
    assertThat(copy.json().get("errors").get(0).get("message").asText()).as("the field is named once, in field")
        .isEqualTo("'Copy' has the same content as 'Temple bell' (id " + bell + "), which is already in the library");
    assertThat(copy.json().get("detail").asText())
        .isEqualTo("files[0]: 'Copy' has the same content as 'Temple bell' (id " + bell + "), which is already in the library");
    // A taken name (after case folding and NFKC), in an upload with a new file: all or nothing.
    Response taken = upload(alice, new Part("Tone.wav", DemoAudio.tone(432, 1)), new Part("ＴＥＭＰＬＥ bell.wav", DemoAudio.tone(500, 1)));
    assertProblem(taken, 409, "conflict");
    assertThat(taken.json().get("errors").get(0).get("field").asText()).isEqualTo("files[1]");
    assertThat(taken.json().get("detail").asText()).contains("already has a file named 'Temple bell' (id " + bell + ")");
    assertThat(alice.get("/api/library").json().get("items").findValuesAsText("name")).containsExactly("Temple bell");
    assertThat(storedFiles()).isOne();
    // A clash and a file that is not audio: every refusal, in the order the files were sent.
    Response mixed = upload(alice, new Part("Temple bell.wav", DemoAudio.tone(432, 1)),
        new Part("notes.wav", "this is text, not audio".getBytes(StandardCharsets.UTF_8)));
    assertProblem(mixed, 422, "invalid-input");
    assertThat(mixed.json().get("errors").findValuesAsText("field")).containsExactly("files[0]", "files[1]");

    String tone = upload(alice, new Part("Tone.wav", DemoAudio.tone(432, 1))).json().get("items").get(0).get("id").asText();
    Response renamed = alice.put("/api/library/" + tone + "/name", "{\"name\": \"temple Bell\"}");
    assertProblem(renamed, 409, "conflict");
    assertThat(renamed.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
    assertThat(w.library.find(tone).orElseThrow().name()).isEqualTo("Tone");
  }

  @Test
  void aFileThatIsNotAudioIsRefusedAndNothingIsStored() throws Exception {
    Response refused = upload(alice, new Part("notes.wav", "this is text, not audio".getBytes(StandardCharsets.UTF_8)));
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("files[0]");
    assertThat(refused.json().get("errors").get(0).get("message").asText()).contains("'notes'", "not audio");
    assertNothingStored();
  }

  @Test
  void aTruncatedFileIsRefusedWithWhereItEndsInOneLogLineWithoutAStackTrace() throws Exception {
    byte[] cut = DemoAudio.tone(440, 1); // 1 s of samples, a header claiming 2 s
    ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 36 + 2 * 192_000).putInt(40, 2 * 192_000);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger api = (Logger) LoggerFactory.getLogger(LibraryItems.class);
    Level before = api.getLevel();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    api.setLevel(Level.INFO);
    Response refused;
    try {
      refused = upload(alice, new Part("cut.wav", cut));
    } finally {
      api.setLevel(before);
      root.detachAppender(logged);
    }
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").get(0).get("message").asText())
        .matches("'cut' ends at (0\\.9|1\\.0) s but its header says 2\\.0 s.*");
    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.INFO);
      assertThat(event.getFormattedMessage()).contains("alice", "files[0]: 'cut' ends at ");
      assertThat(event.getThrowableProxy()).isNull();
    });
    assertNothingStored();
  }

  @Test
  void anUploadIsAllOrNothing() throws Exception {
    Response refused = upload(alice, new Part("bell.wav", DemoAudio.chime(528, 1)),
        new Part("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}));
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").findValuesAsText("field")).containsExactly("files[1]");
    assertNothingStored();
  }

  @Test
  void anOversizedFileIsRefusedAndNothingIsStored() throws Exception {
    byte[] big = DemoAudio.tone(440, 4); // 48 kHz 16-bit: about 384 kB, over the 300 kB limit
    assertThat(big.length).isGreaterThan((int) MAX_UPLOAD);
    Response refused = upload(alice, new Part("long.wav", big));
    assertProblem(refused, 413, "too-large");
    assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("files");
    assertThat(refused.json().get("detail").asText()).contains(String.valueOf(MAX_UPLOAD));
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd.wav", "sub/dir.wav", "..\\..\\boot.ini", ".hidden.wav",
      "<script>alert(1)</script>.wav", ".wav"})
  void fileNamesThatAreNotPlainNamesAreRefused(String fileName) throws Exception {
    Response refused = upload(alice, new Part(fileName, DemoAudio.chime(528, 1)));
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("files[0]");
    assertNothingStored();
  }

  @Test
  void aTenThousandCharacterFileNameIsAFieldErrorNotTooLarge() throws Exception {
    Response refused = upload(alice, new Part("b".repeat(10_000) + ".wav", DemoAudio.chime(528, 1)));

    assertThat(refused.status()).as(refused.toString()).isIn(400, 422);
    assertThat(refused.json().get("errors").get(0).get("field").asText()).startsWith("files");
    assertThat(refused.json().get("detail").asText() + refused.json().get("errors").toString()).contains("name");
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 250_000})
  void aFilePartWithoutAFileNameIsAFieldError(int size) throws Exception {
    byte[] chime = Arrays.copyOf(DemoAudio.chime(528, 1), size); // past Jetty's form field limit too
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(chime);
    body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));

    Response refused = alice.send(alice.changing("/api/library")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("files");
    assertThat(refused.json().get("errors").get(0).get("message").asText()).contains("file name");
    assertNothingStored();
  }

  @Test
  void uploadsThatAreNotMultipartOrHaveNoFilesAreRefused() throws Exception {
    assertProblem(alice.post("/api/library", "{\"files\": []}"), 415, "unsupported-media-type");
    Response none = alice.send(alice.changing("/api/library")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"other\""
            + "\r\n\r\nvalue\r\n--" + BOUNDARY + "--\r\n")).build());
    assertProblem(none, 422, "invalid-input");
    assertThat(none.json().get("errors").get(0).get("field").asText()).isEqualTo("files");
    Response broken = alice.send(alice.changing("/api/library")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; "
            + "filename=\"x.wav\"\r\n\r\nno closing boundary")).build());
    assertProblem(broken, 400, "malformed-request");
    // A control character in a part's header is a broken body too. The part is small: the answer comes before
    // the server reads the body and it then closes the connection, so a client still sending a large body can
    // see the connection reset before it reads the 400 (seen once in CI; a gap named in the closing note).
    Response control = upload(alice, new Part("\u0007bell.wav", new byte[] {'R', 'I', 'F', 'F'}));
    assertProblem(control, 400, "malformed-request");
    assertNothingStored();
  }

  @Test
  void itemsAreRenamedAndDeletedUnlessAPlaylistUsesThem() throws Exception {
    JsonNode items = upload(alice, new Part("bell.wav", DemoAudio.chime(528, 1)), new Part("tone.wav", DemoAudio.tone(432, 1)))
        .json().get("items");
    String bell = items.get(0).get("id").asText();
    String tone = items.get(1).get("id").asText();
    Response renamed = alice.put("/api/library/" + bell + "/name", "{\"name\": \"Temple bell\"}");
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("name").asText()).isEqualTo("Temple bell");
    for (String bad : List.of("{\"name\": \"\"}", "{\"name\": \"<b>bell</b>\"}", "{\"name\": 5}", "{}",
        "{\"name\": \"" + "x".repeat(101) + "\"}")) {
      Response refused = alice.put("/api/library/" + bell + "/name", bad);
      assertProblem(refused, 422, "invalid-input");
      assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
    }
    assertThat(w.library.find(bell).orElseThrow().name()).isEqualTo("Temple bell");

    long session = w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 07:00 UTC").playlist(List.of(bell)).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15))
        .build()).id();
    JsonNode used = alice.get("/api/library").json().get("items").get(0);
    assertThat(used.get("usedBy").get(0).get("name").asText()).isEqualTo("Morning");
    assertThat(used.get("usedBy").get(0).get("session").asLong()).isEqualTo(session);
    Response inUse = alice.delete("/api/library/" + bell);
    assertProblem(inUse, 409, "conflict");
    assertThat(inUse.json().get("detail").asText()).contains("'Temple bell' is in 1 session playlist");
    assertThat(w.library.find(bell)).isPresent();

    assertThat(alice.delete("/api/library/" + tone).status()).isEqualTo(204);
    assertThat(w.library.find(tone)).isEmpty();
    assertThat(storedFiles()).isOne();
    assertProblem(alice.delete("/api/library/" + tone), 404, "not-found");
    assertProblem(alice.put("/api/library/" + tone + "/name", "{\"name\": \"x\"}"), 404, "not-found");
    assertProblem(alice.delete("/api/library/not-an-id"), 400, "malformed-request");
    assertProblem(alice.put("/api/library/" + "A".repeat(64) + "/name", "{\"name\": \"x\"}"), 400, "malformed-request");
  }

  @Test
  void anAdminOfOneGuildSeesOnlyItsOwnPlaylistsAndCannotChangeOthersFiles() throws Exception {
    w.admin("bao", WebHarness.OTHER);
    Client bao = w.login("bao");
    String bell = upload(alice, new Part("bell.wav", DemoAudio.chime(528, 1))).json().get("items").get(0).get("id").asText();
    w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL).schedule("daily 07:00 UTC")
        .playlist(List.of(bell)).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15)).build());
    JsonNode seen = bao.get("/api/library").json().get("items").get(0);
    assertThat(seen.get("usedBy")).isEmpty();
    assertThat(seen.get("usedElsewhere").asInt()).isOne();
    assertProblem(bao.put("/api/library/" + bell + "/name", "{\"name\": \"Mine\"}"), 403, "forbidden");
    assertProblem(bao.delete("/api/library/" + bell), 403, "forbidden");
    assertThat(w.library.find(bell).orElseThrow().name()).isEqualTo("bell");
  }

  /** A GET with the client's credentials, the body as bytes (audio is not text). */
  static HttpResponse<byte[]> bytes(Client client, String path, String range) throws Exception {
    HttpRequest.Builder request = client.request(path).GET();
    if (range != null) {
      request.header("Range", range);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void anAudioFilesOggOpusCopyIsServedToListenToWholeOrByRange() throws Exception {
    w.admin("bao", WebHarness.OTHER);
    Client bao = w.login("bao");
    w.admin("carol");
    Client carol = w.login("carol");
    String bell = upload(alice, new Part("bell.wav", DemoAudio.chime(528, 1))).json().get("items").get(0).get("id").asText();
    Path opus = dir.resolve("data/audio").resolve(bell.substring(0, 2)).resolve(bell + ".opus");
    byte[] copy = Files.readAllBytes(opus);
    String path = "/api/library/" + bell + "/preview";

    for (Client listener : List.of(alice, bao)) { // the owner, and an admin of a guild whose playlists do not use it
      HttpResponse<byte[]> whole = bytes(listener, path, null);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/ogg");
      assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
      assertThat(whole.body()).isEqualTo(copy);
    }
    HttpResponse<byte[]> part = bytes(alice, path, "bytes=100-299");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-299/" + copy.length);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(copy, 100, 300));
    HttpResponse<byte[]> tail = bytes(alice, path, "bytes=-50");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + (copy.length - 50) + "-" + (copy.length - 1)
        + "/" + copy.length);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(copy, copy.length - 50, copy.length));
    HttpResponse<byte[]> rest = bytes(alice, path, "bytes=1000-");
    assertThat(rest.statusCode()).isEqualTo(206);
    assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(copy, 1000, copy.length));
    HttpResponse<byte[]> beyond = bytes(alice, path, "bytes=" + copy.length + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + copy.length);

    assertProblem(carol.get(path), 403, "forbidden"); // an admin of no guild
    assertThat(w.anonymous().get(path).status()).isEqualTo(401);
    assertProblem(alice.get("/api/library/" + "0".repeat(64) + "/preview"), 404, "not-found");
    assertProblem(alice.get("/api/library/not-an-id/preview"), 400, "malformed-request");
    Files.delete(opus); // no copy (yet): nothing to listen to
    assertProblem(alice.get(path), 404, "not-found");
  }
}
