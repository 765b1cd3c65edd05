package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.EmbedType;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.GatewayIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real JDA 6.5 against the emulator: login, guild, messages both ways, slash commands. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdaLoginTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  DiscordEmulator discord;
  GuildHandle guild;
  long notices;
  long hall;
  BotAccount bot;
  UserHandle alice;
  JDA jda;
  final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    discord = DiscordEmulator.start();
    guild = discord.createGuild("Sangha");
    notices = guild.createTextChannel("notices");
    hall = guild.createVoiceChannel("Meditation Hall");
    bot = discord.createBot("Carillon");
    alice = discord.createUser("alice");
    guild.addMember(bot);
    guild.addMember(alice);
    jda = discord.configure(JDABuilder.createDefault(bot.token())
            .enableIntents(GatewayIntent.MESSAGE_CONTENT, GatewayIntent.GUILD_VOICE_STATES))
        .addEventListeners(new ListenerAdapter() {
          @Override
          public void onMessageReceived(MessageReceivedEvent event) {
            received.add(event.getAuthor().getName() + ": " + event.getMessage().getContentRaw());
          }

          @Override
          public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
            switch (event.getName()) {
              case "echo" -> event.reply("you said " + event.getOption("text").getAsString()).queue();
              case "slow" -> event.deferReply(true).queue(hook -> hook.sendMessage("done after deferring").queue());
              default -> event.reply("unknown").queue();
            }
          }
        })
        .build();
    jda.awaitReady();
  }

  @AfterAll
  void stop() {
    if (jda != null) {
      Jdas.stop(jda);
    }
    discord.close();
  }

  @Test
  void jdaLogsInAndSeesTheGuildWithItsChannels() {
    assertThat(jda.getStatus()).isEqualTo(JDA.Status.CONNECTED);
    assertThat(jda.getSelfUser().getIdLong()).isEqualTo(bot.id());
    Guild seen = jda.getGuildById(guild.id());
    assertThat(seen).isNotNull();
    assertThat(seen.getName()).isEqualTo("Sangha");
    assertThat(seen.getTextChannelById(notices).getName()).isEqualTo("notices");
    assertThat(seen.getVoiceChannelById(hall).getName()).isEqualTo("Meditation Hall");
    assertThat(seen.getMemberCount()).isEqualTo(3); // the owner, the bot, alice
  }

  @Test
  void aMessageTheBotSendsIsSeenByTheEmulator() {
    jda.getTextChannelById(notices).sendMessage("Session starts in 10 minutes").complete();
    assertThat(discord.messages(notices)).extracting(SentMessage::content).contains("Session starts in 10 minutes");
    assertThat(discord.messages(notices).getLast().author()).isEqualTo("Carillon");
  }

  @Test
  void embedsComeBackAsRichEmbedsThatJdaReads() {
    var sent = jda.getTextChannelById(notices)
        .sendMessageEmbeds(new EmbedBuilder().setTitle("Yoga has started").setDescription("Join us").build())
        .complete();
    assertThat(sent.getEmbeds()).singleElement().satisfies(embed -> {
      assertThat(embed.getTitle()).isEqualTo("Yoga has started");
      assertThat(embed.getType()).isEqualTo(EmbedType.RICH);
    });
    assertThat(discord.messages(notices).getLast().embeds())
        .containsExactly(new SentMessage.Embed("Yoga has started", "Join us"));
  }

  @Test
  void aMessageAUserSendsReachesTheBot() {
    alice.sendMessage(notices, "good morning");
    await().atMost(WAIT).until(() -> received.contains("alice: good morning"));
  }

  @Test
  void guildCommandsAreRegisteredAndAnsweredByReplyAndByDeferredFollowup() throws Exception {
    jda.getGuildById(guild.id()).updateCommands().addCommands(
        Commands.slash("echo", "repeats").addOption(OptionType.STRING, "text", "what to repeat", true),
        Commands.slash("slow", "answers later")).complete();
    assertThat(discord.commandNames(bot, guild.id())).containsExactlyInAnyOrder("echo", "slow");

    Interaction echo = alice.runSlashCommand(notices, bot, "echo", Map.of("text", "hello"));
    assertThat(echo.awaitReply(WAIT).content()).isEqualTo("you said hello");
    assertThat(echo.deferred()).isFalse();

    Interaction slow = alice.runSlashCommand(notices, bot, "slow", Map.of());
    assertThat(slow.awaitReply(WAIT).content()).isEqualTo("done after deferring");
    assertThat(slow.deferred()).isTrue();
    assertThat(slow.ephemeral()).isTrue();
  }

  @Test
  void globalCommandsAreRegistered() {
    jda.updateCommands().addCommands(Commands.slash("carillon", "sessions")).complete();
    assertThat(discord.commandNames(bot, null)).containsExactly("carillon");
  }
}
