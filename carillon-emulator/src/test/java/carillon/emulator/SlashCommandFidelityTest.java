package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subcommands, autocomplete, permissions and locales as the real JDA sees them. */
class SlashCommandFidelityTest {
  private DiscordEmulator discord;
  private JDA jda;
  private GuildHandle guild;
  private long channel;
  private BotAccount bot;
  private UserHandle admin;
  private UserHandle guest;
  private final CompletableFuture<SlashCommandInteractionEvent> seen = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    discord = DiscordEmulator.start();
    guild = discord.createGuild("Sangha");
    channel = guild.createTextChannel("general");
    guild.setEveryonePermissions(Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND));
    long managers = guild.createRole("managers", Permission.MANAGE_SERVER.getRawValue());
    bot = discord.createBot("Carillon");
    admin = discord.createUser("alice");
    guest = discord.createUser("bao");
    guild.addMember(bot);
    guild.addMember(admin);
    guild.addMember(guest);
    guild.giveRole(admin.id(), managers);
    jda = discord.configure(JDABuilder.createDefault(bot.token())).addEventListeners(new ListenerAdapter() {
      @Override
      public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        seen.complete(event);
        event.reply("ok " + event.getSubcommandName() + " " + event.getUserLocale().getLocale()).setEphemeral(true).queue();
      }

      @Override
      public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        String typed = event.getFocusedOption().getValue();
        event.replyChoices(List.of("Morning", "Moonlight", "Evening").stream()
            .filter(n -> n.toLowerCase().startsWith(typed.toLowerCase()))
            .map(n -> new Command.Choice(n, n.toLowerCase())).toList()).queue();
      }
    }).build().awaitReady();
    jda.getGuildById(guild.id()).updateCommands().addCommands(Commands.slash("carillon", "Sessions")
        .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
        .addSubcommands(
            new SubcommandData("play", "Play").addOptions(new OptionData(OptionType.STRING, "session", "Which", true, true)),
            new SubcommandData("volume", "Volume").addOptions(
                new OptionData(OptionType.INTEGER, "percent", "0-150", true).setRequiredRange(0, 150)),
            new SubcommandData("status", "Status"))).complete();
  }

  @AfterEach
  void stop() {
    jda.shutdownNow();
    discord.close();
  }

  @Test
  void aSubcommandWithOptionsReachesJdaWithTheMembersPermissionsAndLocale() throws Exception {
    admin.setLocale("vi");
    Interaction run = admin.runSlashCommand(channel, bot, "carillon volume", Map.of("percent", 40));
    assertThat(run.awaitReply(Duration.ofSeconds(10)).content()).isEqualTo("ok volume vi");
    assertThat(run.ephemeral()).isTrue();
    SlashCommandInteractionEvent event = seen.get(10, TimeUnit.SECONDS);
    assertThat(event.getFullCommandName()).isEqualTo("carillon volume");
    assertThat(event.getOption("percent").getAsInt()).isEqualTo(40);
    assertThat(event.getUserLocale()).isEqualTo(DiscordLocale.VIETNAMESE);
    assertThat(event.getMember().hasPermission(Permission.MANAGE_SERVER)).isTrue();
    assertThat(event.getMember().hasPermission(Permission.ADMINISTRATOR)).isFalse();
  }

  @Test
  void aMemberWithoutTheDefaultPermissionsCannotRunTheCommand() {
    assertThatThrownBy(() -> guest.runSlashCommand(channel, bot, "carillon status", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class)
        .hasMessageContaining("/carillon is not available to bao");
    assertThat(seen).isNotDone();
  }

  @Test
  void invocationsAClientCouldNotSendAreRefused() {
    assertThatThrownBy(() -> admin.runSlashCommand(channel, bot, "carillon", Map.of()))
        .hasMessageContaining("needs a subcommand: one of play, volume, status");
    assertThatThrownBy(() -> admin.runSlashCommand(channel, bot, "carillon dance", Map.of()))
        .hasMessageContaining("'dance' is not a subcommand");
    assertThatThrownBy(() -> admin.runSlashCommand(channel, bot, "carillon play", Map.of()))
        .hasMessageContaining("needs its option 'session'");
    assertThatThrownBy(() -> admin.runSlashCommand(channel, bot, "carillon volume", Map.of("percent", 400)))
        .hasMessageContaining("must be from 0 to 150");
    assertThatThrownBy(() -> admin.runSlashCommand(channel, bot, "carillon volume", Map.of("percent", "loud")))
        .hasMessageContaining("is of Discord type 4");
    assertThatThrownBy(() -> admin.runSlashCommand(channel, bot, "carillon status", Map.of("colour", "red")))
        .hasMessageContaining("has no option 'colour'");
    assertThat(seen).isNotDone();
  }

  @Test
  void autocompleteOffersTheBotsChoicesForWhatWasTyped() throws Exception {
    List<Interaction.Choice> offered = admin.autocomplete(channel, bot, "carillon play", "session", "mo", Map.of())
        .awaitChoices(Duration.ofSeconds(10));
    assertThat(offered).containsExactly(new Interaction.Choice("Morning", "morning"),
        new Interaction.Choice("Moonlight", "moonlight"));
    assertThatThrownBy(() -> admin.autocomplete(channel, bot, "carillon volume", "percent", "4", Map.of()))
        .hasMessageContaining("was not registered with autocomplete");
  }
}
