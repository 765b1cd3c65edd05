package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.web.AdminAccounts;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
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
      Carillon carillon = new Carillon(new Carillon.Settings(dir, Map.of("bell", bot.token()), discord::configure,
          Duration.ofSeconds(5), new InetSocketAddress("127.0.0.1", 0), ZoneId.of("Europe/Paris")));
      URI base;
      try {
        assertThat(carillon.web).isPresent();
        base = URI.create("http://127.0.0.1:" + carillon.web.get().port());
        new AdminAccounts(carillon.db, carillon.time).create("alice", "correct horse battery staple");
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
