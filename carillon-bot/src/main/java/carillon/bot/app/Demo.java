package carillon.bot.app;

import carillon.bot.config.Config;
import carillon.bot.config.Secret;
import carillon.bot.library.AudioItem;
import carillon.bot.library.AudioRejectedException;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.SentMessage;
import carillon.emulator.UserHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import carillon.tasks.Loop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in demo: Carillon against the emulator, in-process. A guild with a text channel, two voice
 * channels and a few members; two bot accounts; generated audio; a session whose reminder goes out at
 * once and whose start follows. What happens is printed as it happens.
 */
public final class Demo implements AutoCloseable {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  final DiscordEmulator discord;
  final Carillon carillon;
  final GuildHandle guild;
  final long notices;
  final long hall;
  final Session session;
  private final PrintStream out;
  private final Loop reporter;
  private final Set<Long> printedMessages = ConcurrentHashMap.newKeySet();
  private final Set<String> printedVoice = ConcurrentHashMap.newKeySet();

  private Demo(Config base, PrintStream out, Duration startIn) throws Exception {
    Path dataDir = base.dataDir();
    this.out = out;
    discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
    guild = discord.createGuild("Carillon Demo");
    notices = guild.createTextChannel("notices");
    hall = guild.createVoiceChannel("Meditation Hall");
    guild.createVoiceChannel("Garden");
    long members = guild.createRole("members", 0);
    for (String name : List.of("alice", "bao", "chloe")) {
      UserHandle user = discord.createUser(name);
      guild.addMember(user);
      guild.giveRole(user.id(), members);
    }
    BotAccount bell = discord.createBot("Carillon Bell");
    BotAccount gong = discord.createBot("Carillon Gong");
    guild.addMember(bell);
    guild.addMember(gong);
    Config config = base.withAccounts(List.of(new Config.Account("bell", new Secret(bell.token()), 1),
            new Config.Account("gong", new Secret(gong.token()), 1)));
    carillon = new Carillon(new Carillon.Settings(config, discord::configure, Optional.empty()));

    AudioItem chime = importAudio(dataDir, "Temple chime", DemoAudio.chime(528, 3));
    AudioItem tone = importAudio(dataDir, "Settling tone", DemoAudio.tone(432, 4));
    Instant start = carillon.time().now().plus(startIn).truncatedTo(ChronoUnit.SECONDS);
    session = carillon.sessions().create(SessionSpec.builder(guild.id(), "Morning meditation").voiceChannel(hall)
        .textChannel(notices).mentionRole(members).schedule("once " + start)
        .playlist(List.of(chime.id(), tone.id(), chime.id())).gap(Duration.ofSeconds(2)).reminderMinutes(1)
        .startText("Settle in; the bell starts us.").lateGrace(Duration.ofMinutes(5)).build());

    out.printf("""
        Carillon demo: Carillon plays a scheduled session on a local Discord emulator.
          guild 'Carillon Demo': #notices, voice channels 'Meditation Hall' and 'Garden', members alice, bao, chloe
          bot accounts: 'Carillon Bell' and 'Carillon Gong'
          session 'Morning meditation' in Meditation Hall at %s (%s), reminder 1 minute before:
            Temple chime, Settling tone, Temple chime, 2 s apart
          data directory: %s
        Admin page: http://127.0.0.1:%d/ (the log above has the one-time link to create the first admin)
        What Discord would show (messages, and a level meter of each bot): http://127.0.0.1:%d/_emulator/panel
        Watch it (JSON):
          curl -s http://127.0.0.1:%d/_emulator/channels/%d/messages
          curl -s http://127.0.0.1:%d/_emulator/voice
        Press Ctrl+C to stop.

        """, time(start), start, dataDir, carillon.webPort(), discord.port(), discord.port(), notices,
        discord.port());
    reporter = Loop.every(Duration.ofMillis(500)).name("demo reporter").build(this::report);
    carillon.tasks().add(reporter).start();
  }

  /**
   * Starts the demo with {@code config} (its data directory should be a fresh one; its accounts are
   * replaced by the demo's two); the session starts {@code startIn} from now.
   */
  public static Demo start(Config config, PrintStream out, Duration startIn) throws Exception {
    return new Demo(config, out, startIn);
  }

  private AudioItem importAudio(Path dataDir, String name, byte[] wav)
      throws IOException, InterruptedException, AudioRejectedException {
    Path file = Files.write(Files.createDirectories(dataDir.resolve("demo-audio")).resolve(name + ".wav"), wav);
    return carillon.library().importFile(file, name);
  }

  /** Prints new messages of #notices and voice connections as they appear. */
  private void report() {
    for (SentMessage message : discord.messages(notices)) {
      if (printedMessages.add(message.id())) {
        String text = message.embeds().isEmpty() ? message.content()
            : message.embeds().getFirst().title() + " — " + message.embeds().getFirst().description();
        out.printf("[%s] #notices  %s: %s%n", time(message.time()), message.author(), text);
      }
    }
    for (VoiceConnectionSnapshot voice : discord.voiceConnections()) {
      if (printedVoice.add(voice.id() + "connected")) {
        out.printf("[%s] voice     a bot joined Meditation Hall (%s)%n", time(voice.connectedAt()), voice.encryptionMode());
      }
      if (voice.disconnectedAt().isPresent() && printedVoice.add(voice.id() + "left")) {
        out.printf("[%s] voice     the bot left; the emulator heard %.1f s of audio (%.1f s of sound), packets every %d ms%n",
            time(voice.disconnectedAt().get()), voice.decodedAudio().toMillis() / 1000.0,
            voice.sound().toMillis() / 1000.0, voice.interArrivalP50().toMillis());
      }
    }
  }

  private static String time(Instant instant) {
    return LocalTime.ofInstant(instant, ZoneId.systemDefault()).format(CLOCK);
  }

  @Override
  public void close() {
    carillon.close(); // stops the reporter too: its loop is one of Carillon's tasks
    report(); // the end notice and the bot leaving, which the shutdown itself caused
    discord.close();
  }

}
