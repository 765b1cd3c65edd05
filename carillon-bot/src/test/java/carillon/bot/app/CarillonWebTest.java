package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.config.Config;
import carillon.bot.config.ConfigLoader;
import carillon.bot.config.Secret;
import carillon.bot.web.auth.AdminAccounts;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application serves its admin API once started, with Discord's guild cache behind it, and stops it first on close. */
class CarillonWebTest {
  @TempDir Path dir;

  @Test
  void theAdminApiAnswersWhileCarillonRunsAndStopsWithIt() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (DiscordEmulator discord = DiscordEmulator.builder().start()) {
      GuildHandle guild = discord.createGuild("Web guild");
      long hall = guild.createVoiceChannel("Hall");
      BotAccount bot = discord.createBot("Carillon");
      guild.addMember(bot);
      Config config = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_DATA_DIR", dir.toString(),
              "CARILLON_WEB_ADDRESS", "127.0.0.1:0", "CARILLON_TIME_ZONE", "Europe/Paris", "CARILLON_SHUTDOWN_TIMEOUT", "5s"))
          .withAccounts(List.of(new Config.Account("bell", new Secret(bot.token()), 1)));
      Carillon carillon = new Carillon(new Carillon.Settings(config, discord::configure, Optional.empty()));
      URI base;
      try {
        base = URI.create("http://127.0.0.1:" + carillon.webPort());
        new AdminAccounts(carillon.db(), carillon.time()).create("alice", "correct horse battery staple");
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/api/login"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"alice\", \"password\": \"correct horse battery staple\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> seen = http.send(HttpRequest.newBuilder(base.resolve("/api/guilds/" + guild.id()))
            .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(seen.body()).contains("\"name\":\"Hall\"", "\"id\":\"" + hall + "\"", "\"accounts\":[\"bell\"]",
            "Europe/Paris");
      } finally {
        carillon.close();
      }
      HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).build();
      assertThatThrownBy(() -> http.send(health, HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }
  }
}
