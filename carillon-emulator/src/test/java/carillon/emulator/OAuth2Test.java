package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Login with Discord against the emulator: consent, code with PKCE, token, refresh, and the Bearer routes. */
@ExtendWith(EmulatorExtension.class)
class OAuth2Test {
  private static final String REDIRECT = "http://127.0.0.1:9/login/discord/callback";
  private static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-0123456789";
  private final DiscordEmulator discord;
  private final Sangha sangha;
  private final OAuth2Client client;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final ObjectMapper json = new ObjectMapper();

  OAuth2Test(DiscordEmulator discord) {
    this.discord = discord;
    sangha = Sangha.in(discord);
    client = discord.registerOAuth2(sangha.bot(), REDIRECT);
  }

  private String base() {
    return "http://127.0.0.1:" + discord.port();
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, Map<String, String> fields, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(fields)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode bearer(String path, String token) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v10" + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(answer.body());
    return json.createObjectNode().put("status", answer.statusCode()).set("body", body);
  }

  private Map<String, String> authorizeParams(String state) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", Long.toString(client.clientId()));
    params.put("scope", "identify guilds guilds.members.read");
    params.put("state", state);
    params.put("redirect_uri", REDIRECT);
    params.put("code_challenge", OAuth2.s256(VERIFIER));
    params.put("code_challenge_method", "S256");
    return params;
  }

  /** Alice authorizes on the consent page; the answer is the redirect's query. */
  private Map<String, String> consent(String decision) throws Exception {
    Map<String, String> params = authorizeParams("st4te");
    HttpResponse<String> page = get("/oauth2/authorize?" + form(params));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Carillon wants to access your account", ">alice</option>", "Authorize");
    Map<String, String> decided = new LinkedHashMap<>(params);
    decided.put("user", Long.toString(sangha.alice().id()));
    decided.put("decision", decision);
    HttpResponse<String> back = post("/oauth2/authorize", decided, null);
    assertThat(back.statusCode()).isEqualTo(302);
    String location = back.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?");
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return query;
  }

  private Map<String, String> exchange(String code, String verifier) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "authorization_code");
    fields.put("code", code);
    fields.put("redirect_uri", REDIRECT);
    fields.put("code_verifier", verifier);
    return fields;
  }

  private String basic() {
    return "Basic " + Base64.getEncoder().encodeToString((client.clientId() + ":" + client.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPersonAuthorizesAndTheAppReadsWhoTheyAreAndTheirGuilds() throws Exception {
    long hosts = sangha.guild().createRole("hosts", 1L << 5); // Manage Server
    sangha.guild().giveRole(sangha.alice().id(), hosts);
    Map<String, String> back = consent("authorize");
    assertThat(back).containsEntry("state", "st4te").containsKey("code");

    HttpResponse<String> token = post("/api/v10/oauth2/token", exchange(back.get("code"), VERIFIER), basic());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    JsonNode grant = json.readTree(token.body());
    assertThat(grant.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(grant.get("expires_in").asLong()).isEqualTo(604800);
    assertThat(grant.get("scope").asText()).isEqualTo("identify guilds guilds.members.read");
    String access = grant.get("access_token").asText();

    JsonNode me = bearer("/users/@me", access);
    assertThat(me.get("body").get("id").asText()).isEqualTo(Long.toString(sangha.alice().id()));
    assertThat(me.get("body").get("username").asText()).isEqualTo("alice");
    JsonNode guilds = bearer("/users/@me/guilds", access).get("body");
    assertThat(guilds).hasSize(1);
    assertThat(guilds.get(0).get("id").asText()).isEqualTo(Long.toString(sangha.guild().id()));
    assertThat(guilds.get(0).get("permissions").isTextual()).as("permissions as a string").isTrue();
    assertThat(Long.parseLong(guilds.get(0).get("permissions").asText()) & (1L << 5)).isNotZero();
    JsonNode member = bearer("/users/@me/guilds/" + sangha.guild().id() + "/member", access).get("body");
    assertThat(member.get("roles").toString()).contains(Long.toString(hosts));
    JsonNode elsewhere = bearer("/users/@me/guilds/" + discord.createGuild("Other").id() + "/member", access);
    assertThat(elsewhere.get("status").asInt()).isEqualTo(404);
    assertThat(elsewhere.get("body").get("code").asInt()).isEqualTo(10004);

    // A code works once; a refresh token gives a new pair and ends the old refresh token.
    HttpResponse<String> again = post("/api/v10/oauth2/token", exchange(back.get("code"), VERIFIER), basic());
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(json.readTree(again.body()).get("error").asText()).isEqualTo("invalid_grant");
    Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token",
        grant.get("refresh_token").asText(), "client_id", Long.toString(client.clientId()), "client_secret",
        client.clientSecret());
    HttpResponse<String> refreshed = post("/api/oauth2/token", refresh, null);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    assertThat(bearer("/users/@me", json.readTree(refreshed.body()).get("access_token").asText())
        .get("body").get("username").asText()).isEqualTo("alice");
    assertThat(post("/api/oauth2/token", refresh, null).statusCode()).isEqualTo(400);
    assertThat(bearer("/users/@me", "not-a-token").get("status").asInt()).isEqualTo(401);
  }

  @Test
  void theControlApiRegistersAClientAsTheJavaApiDoes() throws Exception {
    RawDiscord raw = new RawDiscord(discord);
    RawDiscord.Answer registered = raw.control("PUT", "/bots/" + sangha.bot().id() + "/oauth2",
        "{\"redirectUris\":[\"http://127.0.0.1:9/elsewhere\"]}");
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.body().get("clientId").asText()).isEqualTo(Long.toString(client.clientId()));
    assertThat(registered.body().get("clientSecret").asText()).as("the secret is kept").isEqualTo(client.clientSecret());
    assertThat(registered.body().get("redirectUris").get(0).asText()).isEqualTo("http://127.0.0.1:9/elsewhere");
    assertThat(get("/oauth2/authorize?" + form(authorizeParams("s"))).body()).as("the old URI is no longer registered")
        .contains("Invalid OAuth2 redirect_uri");
    assertThat(raw.control("PUT", "/bots/" + sangha.alice().id() + "/oauth2", "{\"redirectUris\":[\"x\"]}").status())
        .isEqualTo(400);
  }

  @Test
  void errorsAreDiscordsOAuth2Errors() throws Exception {
    Map<String, String> back = consent("authorize");
    HttpResponse<String> wrongVerifier = post("/api/v10/oauth2/token",
        exchange(back.get("code"), VERIFIER.replace('a', 'b')), basic());
    assertThat(wrongVerifier.statusCode()).isEqualTo(400);
    assertThat(json.readTree(wrongVerifier.body()).get("error").asText()).isEqualTo("invalid_grant");
    HttpResponse<String> shortVerifier = post("/api/v10/oauth2/token", exchange(consent("authorize").get("code"),
        "short"), basic());
    assertThat(json.readTree(shortVerifier.body()).get("error_description").asText())
        .isEqualTo("Invalid \"code_verifier\"");
    Map<String, String> wrongRedirect = exchange(consent("authorize").get("code"), VERIFIER);
    wrongRedirect.put("redirect_uri", "http://127.0.0.1:9/elsewhere");
    assertThat(json.readTree(post("/api/v10/oauth2/token", wrongRedirect, basic()).body()).get("error_description")
        .asText()).isEqualTo("Invalid \"redirect_uri\" in request.");
    HttpResponse<String> badClient = post("/api/v10/oauth2/token", exchange("x", VERIFIER), "Basic "
        + Base64.getEncoder().encodeToString((client.clientId() + ":wrong").getBytes(StandardCharsets.UTF_8)));
    assertThat(badClient.statusCode()).isEqualTo(401);
    assertThat(json.readTree(badClient.body()).get("error").asText()).isEqualTo("invalid_client");
    assertThat(json.readTree(post("/api/v10/oauth2/token", Map.of("grant_type", "password"), basic()).body())
        .get("error").asText()).isEqualTo("unsupported_grant_type");

    // Cancel goes back with access_denied; an unregistered redirect URI is refused on Discord's own page.
    assertThat(consent("cancel")).containsEntry("error", "access_denied").containsEntry("state", "st4te")
        .doesNotContainKey("code");
    Map<String, String> elsewhere = authorizeParams("s");
    elsewhere.put("redirect_uri", "https://attacker.example/cb");
    HttpResponse<String> refused = get("/oauth2/authorize?" + form(elsewhere));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("Invalid OAuth2 redirect_uri");
    Map<String, String> plain = authorizeParams("s");
    plain.put("code_challenge_method", "plain");
    HttpResponse<String> unsupported = get("/oauth2/authorize?" + form(plain));
    assertThat(unsupported.statusCode()).isEqualTo(302);
    assertThat(URLDecoder.decode(unsupported.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8))
        .contains("error=invalid_request", "Unsupported \"code_challenge_method\"");
  }
}
