package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The /_emulator/ HTTP API, as a test in another language would use it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();
  DiscordEmulator discord;
  GuildHandle guild;
  long notices;
  long hall;
  UserHandle alice;
  BotAccount bot;

  @BeforeAll
  void start() {
    discord = DiscordEmulator.start();
    guild = discord.createGuild("Sangha");
    notices = guild.createTextChannel("notices");
    hall = guild.createVoiceChannel("Meditation Hall");
    alice = discord.createUser("alice");
    bot = discord.createBot("Carillon");
    guild.addMember(alice);
    guild.addMember(bot);
  }

  @AfterAll
  void stop() {
    discord.close();
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + discord.port() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void guildsShowChannelsRolesAndMembers() throws Exception {
    HttpResponse<String> response = call("GET", "/_emulator/guilds", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode sangha = json.readTree(response.body()).get(0);
    assertThat(sangha.get("name").asText()).isEqualTo("Sangha");
    assertThat(sangha.get("channels").findValuesAsText("name")).containsExactly("notices", "Meditation Hall");
    assertThat(sangha.get("members").findValuesAsText("name")).contains("alice", "Carillon");
  }

  @Test
  void aMessageInjectedOverHttpIsStoredAndListed() throws Exception {
    HttpResponse<String> posted = call("POST", "/_emulator/channels/" + notices + "/messages",
        "{\"userId\":\"" + alice.id() + "\",\"content\":\"hi from curl\"}");
    assertThat(posted.statusCode()).isEqualTo(201);
    HttpResponse<String> listed = call("GET", "/_emulator/channels/" + notices + "/messages", null);
    assertThat(json.readTree(listed.body()).findValuesAsText("content")).contains("hi from curl");
    assertThat(discord.messages(notices)).extracting(SentMessage::content).contains("hi from curl");
  }

  @Test
  void voiceJoinAndLeaveOverHttp() throws Exception {
    assertThat(call("POST", "/_emulator/guilds/" + guild.id() + "/voice",
        "{\"userId\":" + alice.id() + ",\"channelId\":" + hall + "}").statusCode()).isEqualTo(204);
    assertThat(discord.voiceChannelOf(guild, alice.id())).contains(hall);
    assertThat(call("POST", "/_emulator/guilds/" + guild.id() + "/voice",
        "{\"userId\":" + alice.id() + ",\"channelId\":null}").statusCode()).isEqualTo(204);
    assertThat(discord.voiceChannelOf(guild, alice.id())).isEmpty();
  }

  Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("GET", "/_emulator/channels/12345/messages", null, 404, "unknown channel 12345"),
        Arguments.of("GET", "/_emulator/channels/abc/messages", null, 400,
            "'channel' in the path must be an id (a number), was 'abc'"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "{not json", 400, "the body is not valid JSON"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "", 400, "the request needs a JSON body"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "[1]", 400, "the body must be a JSON object"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "{\"content\":\"x\"}", 400,
            "'userId' must be an id (a number or a string of digits) and is missing"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "{\"userId\":true,\"content\":\"x\"}", 400,
            "'userId' must be an id (a number or a string of digits), was true"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "{\"userId\":\"" + alice.id() + "\",\"content\":5}",
            400, "'content' must be a non-empty string, was 5"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "{\"userId\":\"" + bot.id() + "\",\"content\":\"x\"}",
            400, "'userId' " + bot.id() + " is a bot; use a user"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/messages", "{\"userId\":42,\"content\":\"x\"}", 404,
            "unknown user 42"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/commands",
            "{\"userId\":" + alice.id() + ",\"botId\":" + bot.id() + ",\"name\":\"nope\"}", 400,
            "bot Carillon has no command 'nope' in guild Sangha (neither a guild nor a global one)"),
        Arguments.of("POST", "/_emulator/channels/" + notices + "/autocomplete",
            "{\"userId\":" + alice.id() + ",\"botId\":" + bot.id() + ",\"name\":\"nope\",\"typed\":\"x\"}", 400,
            "'option' must be a non-empty string and is missing"),
        Arguments.of("GET", "/_emulator/interactions/77", null, 404, "unknown interaction 77"),
        Arguments.of("POST", "/_emulator/faults/rest", "{\"method\":\"POST\",\"path\":\"/x\",\"status\":200}", 400,
            "'status' must be an HTTP error status from 400 to 599, was 200"),
        Arguments.of("POST", "/_emulator/faults/rest", "{\"method\":\"POST\",\"path\":\"(\",\"status\":500}", 400,
            "'path' is not a valid regular expression: Unclosed group"),
        Arguments.of("POST", "/_emulator/faults/gateway", "{\"botId\":" + bot.id() + ",\"action\":\"explode\"}", 400,
            "'action' must be close, reconnect or invalidate, was 'explode'"),
        Arguments.of("POST", "/_emulator/guilds/" + guild.id() + "/voice", "{\"userId\":" + alice.id() + ",\"channelId\":999}",
            404, "unknown channel 999"),
        Arguments.of("POST", "/_emulator/guilds/" + guild.id() + "/voice",
            "{\"userId\":" + alice.id() + ",\"channelId\":" + notices + "}", 400,
            "channel " + notices + " is not a voice or Stage channel of guild " + guild.id()),
        Arguments.of("POST", "/_emulator/guilds/" + guild.id() + "/channels", "{\"name\":\"x\",\"type\":\"forum\"}", 400,
            "'type' must be text, voice or stage, was 'forum'"),
        Arguments.of("PUT", "/_emulator/channels/" + notices + "/overwrites/" + alice.id(), "{\"type\":\"user\"}", 400,
            "'type' must be role or member, was 'user'"),
        Arguments.of("PUT", "/_emulator/channels/" + notices + "/overwrites/42", "{\"type\":\"role\"}", 404,
            "unknown role 42"),
        Arguments.of("POST", "/_emulator/guilds/" + guild.id() + "/voice-states/" + alice.id(), "{\"mute\":\"yes\"}", 400,
            "give 'mute' or 'suppress' as a boolean"),
        Arguments.of("POST", "/_emulator/guilds/" + guild.id() + "/voice-states/" + alice.id(), "{\"mute\":true}", 400,
            "user " + alice.id() + " is not in a voice channel of Sangha"),
        Arguments.of("POST", "/_emulator/guilds/" + guild.id() + "/voice-server", "{\"botId\":" + bot.id() + "}", 400,
            "Carillon is not connected to voice in Sangha (the emulator has no voice side)"),
        Arguments.of("GET", "/_emulator/nothing", null, 404, "no route GET /_emulator/nothing"));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("badRequests")
  void badInputGetsA4xxWithAMessageNamingTheProblem(String method, String path, String body, int status, String error)
      throws Exception {
    HttpResponse<String> response = call(method, path, body);
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(json.readTree(response.body()).get("error").asText()).isEqualTo(error);
  }
}
