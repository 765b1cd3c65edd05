package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.IMentionable;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.events.RawGatewayEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Slash commands as the real JDA 6.5 sees them: subcommands and groups, every option type with its
 * resolved entities, autocomplete, permissions, locales, ephemeral and deferred answers, and what a client
 * could not send or would not offer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlashCommandFidelityTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final long MANAGE_SERVER = Permission.MANAGE_SERVER.getRawValue();
  /** What Discord computes for an owner or administrator: every defined bit, 0 to 52. */
  static final long ALL = (1L << 53) - 1;

  DiscordEmulator discord;
  JDA jda;
  GuildHandle guild;
  GuildHandle quiet;
  long notices;
  long hall;
  long quietChannel;
  long managers;
  BotAccount bot;
  /** Manage Server through a role. */
  UserHandle alice;
  /** An ordinary member. */
  UserHandle bao;
  /** Administrator through a role. */
  UserHandle chloe;
  /** In the quiet guild: may see the channel, may not use application commands. */
  UserHandle dung;
  /** In the quiet guild: may not even see the channel. */
  UserHandle eve;

  final Map<Long, CompletableFuture<SlashCommandInteractionEvent>> commands = new ConcurrentHashMap<>();
  final Map<Long, CompletableFuture<CommandAutoCompleteInteractionEvent>> autocompletes = new ConcurrentHashMap<>();
  final Map<Long, CompletableFuture<DataObject>> raw = new ConcurrentHashMap<>();
  final CompletableFuture<Boolean> laterFirstFollowupEphemeral = new CompletableFuture<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  static <T> CompletableFuture<T> slot(Map<Long, CompletableFuture<T>> map, long id) {
    return map.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  @BeforeAll
  void start() throws Exception {
    discord = DiscordEmulator.start();
    guild = discord.createGuild("Sangha");
    notices = guild.createTextChannel("notices");
    hall = guild.createVoiceChannel("Meditation Hall");
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    managers = guild.createRole("managers", MANAGE_SERVER);
    long admins = guild.createRole("admins", Permission.ADMINISTRATOR.getRawValue());
    bot = discord.createBot("Carillon");
    alice = discord.createUser("alice");
    bao = discord.createUser("bao");
    chloe = discord.createUser("chloe");
    guild.addMember(bot);
    guild.addMember(alice);
    guild.addMember(bao);
    guild.addMember(chloe);
    guild.giveRole(alice.id(), managers);
    guild.giveRole(chloe.id(), admins);

    quiet = discord.createGuild("Quiet");
    quietChannel = quiet.createTextChannel("rules");
    quiet.setEveryonePermissions(0);
    long readers = quiet.createRole("readers", Permission.VIEW_CHANNEL.getRawValue());
    dung = discord.createUser("dung");
    eve = discord.createUser("eve");
    quiet.addMember(bot);
    quiet.addMember(dung);
    quiet.addMember(eve);
    quiet.giveRole(dung.id(), readers);

    jda = discord.configure(JDABuilder.createDefault(bot.token())).setRawEventsEnabled(true)
        .addEventListeners(new Bot()).build().awaitReady();
    OptionData session = new OptionData(OptionType.STRING, "session", "Which session", true, true);
    jda.getGuildById(guild.id()).updateCommands().addCommands(
        Commands.slash("carillon", "Sessions")
            .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
            .addSubcommands(
                new SubcommandData("play", "Play").addOptions(session),
                new SubcommandData("volume", "Volume").addOptions(
                    new OptionData(OptionType.INTEGER, "percent", "0-150", true).setRequiredRange(0, 150)),
                new SubcommandData("snooze", "Snooze").addOptions(
                    new OptionData(OptionType.INTEGER, "minutes", "How long", true, true),
                    new OptionData(OptionType.STRING, "reason", "Why", false)),
                new SubcommandData("status", "Status"),
                new SubcommandData("later", "Answers after deferring"),
                new SubcommandData("quiet", "Never answered").addOptions(
                    new OptionData(OptionType.STRING, "q", "anything", false, true)))
            .addSubcommandGroups(new SubcommandGroupData("admin", "Administration").addSubcommands(
                new SubcommandData("reset", "Reset").addOption(OptionType.BOOLEAN, "confirm", "Sure?", true),
                new SubcommandData("grant", "Grant").addOptions(
                    new OptionData(OptionType.USER, "member", "Who", true),
                    new OptionData(OptionType.ROLE, "role", "What", true),
                    new OptionData(OptionType.CHANNEL, "where", "Voice channel").setChannelTypes(ChannelType.VOICE),
                    new OptionData(OptionType.NUMBER, "weight", "0.5 to 2").setRequiredRange(0.5, 2.0),
                    new OptionData(OptionType.MENTIONABLE, "target", "Anyone or any role"),
                    new OptionData(OptionType.STRING, "mode", "How").addChoice("Fast", "fast").addChoice("Slow", "slow")))),
        Commands.slash("lockdown", "Administrators only").setDefaultPermissions(DefaultMemberPermissions.DISABLED),
        Commands.user("Inspect")).complete();
    jda.updateCommands().addCommands(
        Commands.slash("ping", "Anyone").setContexts(InteractionContextType.GUILD),
        Commands.slash("dmonly", "Only in the bot's DMs").setContexts(InteractionContextType.BOT_DM)).complete();
  }

  /** The bot under test: answers as the command asks, and keeps every event for the assertions. */
  final class Bot extends ListenerAdapter {
    @Override
    public void onRawGateway(RawGatewayEvent event) {
      if ("INTERACTION_CREATE".equals(event.getType())) {
        slot(raw, event.getPayload().getLong("id")).complete(event.getPayload());
      }
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
      slot(commands, event.getIdLong()).complete(event);
      switch (event.getFullCommandName()) {
        case "carillon quiet" -> { }
        case "ping" -> event.reply("pong").queue();
        case "carillon later" -> event.deferReply(true).queue(hook -> hook.sendMessage("later done").queue(first -> {
          laterFirstFollowupEphemeral.complete(first.isEphemeral());
          hook.sendMessage("public extra").setEphemeral(false).queue();
        }));
        case "carillon admin grant" -> event.reply(String.join(" ",
            "member=" + event.getOption("member").getAsMember().getUser().getName(),
            "user=" + event.getOption("member").getAsUser().getName(),
            "role=" + event.getOption("role").getAsRole().getName(),
            "where=" + event.getOption("where", o -> o.getAsChannel().getName()),
            "weight=" + event.getOption("weight", OptionMapping::getAsDouble),
            "target=" + event.getOption("target", o -> name(o.getAsMentionable())),
            "mode=" + event.getOption("mode", OptionMapping::getAsString))).setEphemeral(true).queue();
        default -> event.reply("ok " + event.getFullCommandName()).setEphemeral(true).queue();
      }
    }

    private String name(IMentionable mentionable) {
      return mentionable instanceof Role role ? "role " + role.getName() : "user " + mentionable.getId();
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
      slot(autocompletes, event.getIdLong()).complete(event);
      if (event.getFullCommandName().equals("carillon quiet")) {
        return;
      }
      if (event.getFocusedOption().getType() == OptionType.INTEGER) {
        event.replyChoices(new Command.Choice("5 minutes", 5), new Command.Choice("10 minutes", 10)).queue();
        return;
      }
      String typed = event.getFocusedOption().getValue().toLowerCase();
      event.replyChoices(Stream.of("Morning", "Moonlight", "Evening").filter(n -> n.toLowerCase().startsWith(typed))
          .map(n -> new Command.Choice(n, n.toLowerCase())).toList()).queue();
    }
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (jda != null) {
      Jdas.stop(jda); // the bot's last answers may still be on their way
    }
    discord.close();
  }

  SlashCommandInteractionEvent seen(Interaction run) throws Exception {
    return slot(commands, run.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  DataObject payload(Interaction run) throws Exception {
    return slot(raw, run.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  // ---- subcommands and options

  @Test
  void aSubcommandWithAnIntegerOptionReachesJdaAsAGuildCommand() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "carillon volume", Map.of("percent", 40));
    assertThat(run.awaitReply(WAIT).content()).isEqualTo("ok carillon volume");
    SlashCommandInteractionEvent event = seen(run);
    assertThat(event.getName()).isEqualTo("carillon");
    assertThat(event.getSubcommandGroup()).isNull();
    assertThat(event.getSubcommandName()).isEqualTo("volume");
    assertThat(event.getOption("percent").getType()).isEqualTo(OptionType.INTEGER);
    assertThat(event.getOption("percent").getAsInt()).isEqualTo(40);
    assertThat(event.isGuildCommand()).isTrue();
    assertThat(event.getCommandIdLong()).isPositive();
  }

  @Test
  void aSubcommandGroupCarriesItsSubcommandAndABoolean() throws Exception {
    Interaction run = chloe.runSlashCommand(notices, bot, "carillon admin reset", Map.of("confirm", true));
    SlashCommandInteractionEvent event = seen(run);
    assertThat(event.getFullCommandName()).isEqualTo("carillon admin reset");
    assertThat(event.getSubcommandGroup()).isEqualTo("admin");
    assertThat(event.getSubcommandName()).isEqualTo("reset");
    assertThat(event.getOption("confirm").getAsBoolean()).isTrue();
    DataObject group = payload(run).getObject("data").getArray("options").getObject(0);
    assertThat(group.getInt("type")).isEqualTo(2);
    assertThat(group.getArray("options").getObject(0).getInt("type")).isEqualTo(1);
    assertThat(run.awaitReply(WAIT).content()).isEqualTo("ok carillon admin reset");
  }

  @Test
  void usersRolesChannelsNumbersMentionablesAndChoicesAreResolvedAsJdaReadsThem() throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("member", bao.id());
    options.put("role", Long.toString(managers)); // an id as a string, as in Discord's JSON
    options.put("where", hall);
    options.put("weight", 1.5);
    options.put("target", managers);
    options.put("mode", "slow");
    Interaction run = alice.runSlashCommand(notices, bot, "carillon admin grant", options);
    assertThat(run.awaitReply(WAIT).content()).isEqualTo(
        "member=bao user=bao role=managers where=Meditation Hall weight=1.5 target=role managers mode=slow");

    DataObject resolved = payload(run).getObject("data").getObject("resolved");
    assertThat(resolved.getObject("users").keys()).containsExactly(Long.toString(bao.id()));
    assertThat(resolved.getObject("members").getObject(Long.toString(bao.id())).getString("permissions"))
        .isEqualTo(Long.toString(GuildHandle.MEMBER_PERMISSIONS));
    assertThat(resolved.getObject("roles").keys()).containsExactly(Long.toString(managers));
    assertThat(resolved.getObject("channels").getObject(Long.toString(hall)).getInt("type")).isEqualTo(2);

    Interaction user = alice.runSlashCommand(notices, bot, "carillon admin grant",
        Map.of("member", chloe.id(), "role", managers, "target", chloe.id()));
    assertThat(user.awaitReply(WAIT).content()).isEqualTo(
        "member=chloe user=chloe role=managers where=null weight=null target=user " + chloe.id() + " mode=null");
  }

  @Test
  void aGlobalCommandIsNotAGuildCommand() throws Exception {
    Interaction run = bao.runSlashCommand(notices, bot, "ping", Map.of());
    assertThat(run.awaitReply(WAIT).content()).isEqualTo("pong");
    assertThat(seen(run).isGuildCommand()).isFalse();
    assertThat(payload(run).getObject("data").hasKey("guild_id")).isFalse();
    assertThat(run.ephemeral()).isFalse();
    assertThat(discord.messages(notices)).extracting(SentMessage::content).contains("pong");
  }

  @Test
  void invocationsAClientCouldNotSendAreRefusedNamingWhatIsWrong() throws Exception {
    // Events reach the bot in order: once a probe is answered, every earlier interaction (of other tests) is in.
    Interaction first = bao.runSlashCommand(notices, bot, "ping", Map.of());
    assertThat(first.awaitReply(WAIT).content()).isEqualTo("pong");
    slot(raw, first.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Set<Long> before = Set.copyOf(raw.keySet());
    assertRefused("carillon", Map.of(), "/carillon needs a subcommand: one of play, volume, snooze, status, later, quiet, admin");
    assertRefused("carillon admin", Map.of(), "/carillon admin needs a subcommand: one of reset, grant");
    assertRefused("carillon dance", Map.of(),
        "'dance' is not a subcommand of /carillon; its subcommands are play, volume, snooze, status, later, quiet, admin");
    assertRefused("carillon play extra", Map.of(), "'extra' is not a subcommand of /carillon play; it has none");
    assertRefused("nope", Map.of(), "bot Carillon has no command 'nope' in guild Sangha");
    assertRefused("Inspect", Map.of(), "bot Carillon has no command 'Inspect'"); // a user context menu command
    assertRefused("  ", Map.of(), "the command must be a name and its subcommands");
    assertRefused("carillon play", Map.of(), "/carillon play needs its option 'session' (required)");
    assertRefused("carillon play", Map.of("session", ""), "option 'session' of /carillon play must be 1 to 6000 characters");
    assertRefused("carillon volume", Map.of("percent", 400), "option 'percent' of /carillon volume must be from 0 to 150, was 400");
    assertRefused("carillon volume", Map.of("percent", "loud"),
        "option 'percent' of /carillon volume is an integer option (Discord type 4) and takes a whole number"
            + " (Integer or Long), not the text 'loud'");
    assertRefused("carillon volume", Map.of("percent", 2.5), "is an integer option (Discord type 4)");
    assertRefused("carillon status", Map.of("colour", "red"),
        "/carillon status has no option 'colour'; its options are (none)");
    assertRefused("carillon admin reset", Map.of("confirm", "yes"),
        "option 'confirm' of /carillon admin reset is a boolean option (Discord type 5) and takes true or false");
    assertRefused("carillon admin grant", Map.of("member", bao.id(), "role", managers, "where", notices),
        "option 'where' of /carillon admin grant takes channels of the types [2]; #notices is of type 0");
    assertRefused("carillon admin grant", Map.of("member", 12345L, "role", managers),
        "option 'member' of /carillon admin grant names user 12345, who does not exist");
    assertRefused("carillon admin grant", Map.of("member", bao.id(), "role", bao.id()),
        "names role " + bao.id() + ", which is not a role of guild Sangha");
    assertRefused("carillon admin grant", Map.of("member", bao.id(), "role", managers, "weight", 3),
        "option 'weight' of /carillon admin grant must be from 0.5 to 2, was 3");
    assertRefused("carillon admin grant", Map.of("member", bao.id(), "role", managers, "mode", "medium"),
        "option 'mode' of /carillon admin grant must be one of its choices [fast, slow], was medium");
    assertRefused("carillon admin grant", Map.of("member", "bao", "role", managers),
        "is a user option (Discord type 6) and takes an id (a Long, or a string of digits), not the text 'bao'");
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("session", null);
    assertRefused("carillon play", withNull, "option 'session' of /carillon play is null; leave an option out instead");
    Interaction probe = bao.runSlashCommand(notices, bot, "ping", Map.of());
    assertThat(probe.awaitReply(WAIT).content()).isEqualTo("pong");
    // The reply can come before JDA's raw-event listener has recorded the probe (CI saw it once): wait for it.
    slot(raw, probe.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(raw.keySet()).as("nothing but the probe reached the bot")
        .containsExactlyInAnyOrderElementsOf(union(before, probe.id));
  }

  private static Set<Long> union(Set<Long> ids, long id) {
    Set<Long> all = new HashSet<>(ids);
    all.add(id);
    return all;
  }

  void assertRefused(String command, Map<String, ?> options, String message) {
    assertThatThrownBy(() -> chloe.runSlashCommand(notices, bot, command, options))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void onlyMembersOfTheGuildTakePartAndOnlyBotsInItAreOffered() {
    UserHandle stranger = discord.createUser("stranger");
    assertThatThrownBy(() -> stranger.runSlashCommand(notices, bot, "ping", Map.of()))
        .hasMessage("stranger is not a member of guild Sangha");
    GuildHandle elsewhere = discord.createGuild("Elsewhere");
    long lobby = elsewhere.createTextChannel("lobby");
    elsewhere.addMember(stranger);
    assertThatThrownBy(() -> stranger.runSlashCommand(lobby, bot, "ping", Map.of()))
        .hasMessageContaining("bot Carillon is not a member of guild Elsewhere");
  }

  // ---- permissions

  @Test
  void theMembersComputedPermissionsAndTheBotsAreSent() throws Exception {
    Interaction byManager = alice.runSlashCommand(notices, bot, "carillon status", Map.of());
    DataObject payload = payload(byManager);
    assertThat(payload.getObject("member").getLong("permissions")).isEqualTo(GuildHandle.MEMBER_PERMISSIONS | MANAGE_SERVER);
    assertThat(payload.getObject("channel").getLong("permissions")).isEqualTo(GuildHandle.MEMBER_PERMISSIONS | MANAGE_SERVER);
    assertThat(payload.getLong("app_permissions")).isEqualTo(GuildHandle.MEMBER_PERMISSIONS);
    assertThat(seen(byManager).getMember().hasPermission(Permission.MANAGE_SERVER)).isTrue();
    assertThat(seen(byManager).getMember().hasPermission(Permission.ADMINISTRATOR)).isFalse();

    Interaction byAdmin = chloe.runSlashCommand(notices, bot, "carillon status", Map.of());
    assertThat(payload(byAdmin).getObject("member").getLong("permissions")).isEqualTo(ALL);
    long known = Permission.getRaw(Stream.of(Permission.values()).filter(p -> p != Permission.UNKNOWN).toList());
    assertThat(ALL & known).as("every permission JDA knows").isEqualTo(known);

    Interaction byMember = bao.runSlashCommand(notices, bot, "ping", Map.of());
    assertThat(payload(byMember).getObject("member").getLong("permissions")).isEqualTo(GuildHandle.MEMBER_PERMISSIONS);
  }

  @Test
  void theGuildOwnerHasEveryPermissionWithoutARole() throws Exception {
    JsonNode sangha = json.readTree(control("GET", "/guilds", null).body()).get(0);
    String owner = null;
    for (JsonNode member : sangha.get("members")) {
      if (member.get("name").asText().equals("Sangha owner")) {
        owner = member.get("id").asText();
      }
    }
    assertThat(owner).isNotNull();
    HttpResponse<String> ran = control("POST", "/channels/" + notices + "/commands",
        "{\"userId\":\"" + owner + "\",\"botId\":\"" + bot.id() + "\",\"name\":\"lockdown\"}");
    assertThat(ran.statusCode()).isEqualTo(202);
    long id = json.readTree(ran.body()).get("interaction").asLong();
    DataObject payload = slot(raw, id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(payload.getObject("member").getArray("roles").isEmpty()).isTrue();
    assertThat(payload.getObject("member").getLong("permissions")).isEqualTo(ALL);
  }

  @Test
  void aMemberWithoutTheDefaultPermissionsIsNotOfferedTheCommand() {
    assertThatThrownBy(() -> bao.runSlashCommand(notices, bot, "carillon status", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class)
        .hasMessage("/carillon is not available to bao: it needs the permissions 32 (bits [5]) and the member has "
            + GuildHandle.MEMBER_PERMISSIONS + " (missing bits [5])");
    assertThatThrownBy(() -> bao.autocomplete(notices, bot, "carillon play", "session", "mo", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class);
    assertThat(commands.values()).noneMatch(e -> e.isDone() && e.join().getUser().getIdLong() == bao.id()
        && e.join().getName().equals("carillon"));
  }

  @Test
  void disabledByDefaultMeansAdministratorsOnly() throws Exception {
    assertThatThrownBy(() -> alice.runSlashCommand(notices, bot, "lockdown", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class)
        .hasMessageContaining("its default member permissions are \"0\", which only administrators pass");
    assertThat(chloe.runSlashCommand(notices, bot, "lockdown", Map.of()).awaitReply(WAIT).content())
        .isEqualTo("ok lockdown");
  }

  @Test
  void withoutUseApplicationCommandsOrViewChannelNoCommandIsOffered() {
    assertThatThrownBy(() -> dung.runSlashCommand(quietChannel, bot, "ping", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class)
        .hasMessage("/ping is not available to dung in #rules: the member lacks the Use Application Commands"
            + " permission (bit 31)");
    assertThatThrownBy(() -> eve.runSlashCommand(quietChannel, bot, "ping", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class)
        .hasMessage("eve cannot see #rules (no View Channel permission), so cannot run /ping there");
  }

  @Test
  void aCommandMadeForDirectMessagesIsNotOfferedInAServer() {
    assertThatThrownBy(() -> chloe.runSlashCommand(notices, bot, "dmonly", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class)
        .hasMessageContaining("/dmonly is not usable in servers");
  }

  @Test
  void aRoleGivenLaterCountsAtOnce() throws Exception {
    UserHandle giang = discord.createUser("giang");
    guild.addMember(giang);
    assertThatThrownBy(() -> giang.runSlashCommand(notices, bot, "carillon status", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class);
    guild.giveRole(giang.id(), managers);
    Interaction run = giang.runSlashCommand(notices, bot, "carillon status", Map.of());
    assertThat(run.awaitReply(WAIT).content()).isEqualTo("ok carillon status");
    assertThat(seen(run).getMember().hasPermission(Permission.MANAGE_SERVER)).isTrue();
  }

  // ---- locales

  @Test
  void theUsersAndTheGuildsLocalesReachJda() throws Exception {
    UserHandle hoa = discord.createUser("hoa");
    guild.addMember(hoa);
    guild.giveRole(hoa.id(), managers);
    Interaction before = hoa.runSlashCommand(notices, bot, "carillon status", Map.of());
    assertThat(seen(before).getUserLocale()).isEqualTo(DiscordLocale.ENGLISH_US);

    hoa.setLocale("vi");
    guild.setPreferredLocale("fr");
    Interaction run = hoa.runSlashCommand(notices, bot, "carillon status", Map.of());
    assertThat(seen(run).getUserLocale()).isEqualTo(DiscordLocale.VIETNAMESE);
    assertThat(seen(run).getGuildLocale()).isEqualTo(DiscordLocale.FRENCH);
    assertThat(payload(run).getString("locale")).isEqualTo("vi");
    assertThat(payload(run).getString("guild_locale")).isEqualTo("fr");
    guild.setPreferredLocale("en-US");

    assertThatThrownBy(() -> hoa.setLocale("vn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("locale 'vn' is not a Discord locale; use one of [")
        .hasMessageContaining("vi");
    assertThatThrownBy(() -> guild.setPreferredLocale("english")).hasMessageContaining("is not a Discord locale");
  }

  // ---- autocomplete

  @Test
  void autocompleteFocusesTheTypedOptionAndReturnsTheBotsChoices() throws Exception {
    Interaction typing = alice.autocomplete(notices, bot, "carillon play", "session", "mo", Map.of());
    assertThat(typing.awaitChoices(WAIT)).containsExactly(new Interaction.Choice("Morning", "morning"),
        new Interaction.Choice("Moonlight", "moonlight"));
    CommandAutoCompleteInteractionEvent event = slot(autocompletes, typing.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(event.getFullCommandName()).isEqualTo("carillon play");
    assertThat(event.getFocusedOption().getName()).isEqualTo("session");
    assertThat(event.getFocusedOption().getValue()).isEqualTo("mo");
    assertThat(payload(typing).getInt("type")).isEqualTo(4);
    assertThat(typing.reply()).isNotDone();
    assertThat(alice.autocomplete(notices, bot, "carillon play", "session", "", Map.of()).awaitChoices(WAIT)).hasSize(3);
  }

  @Test
  void anIntegerOptionIsAutocompletedFromTextWithTheOtherOptionsFilledIn() throws Exception {
    Interaction typing = alice.autocomplete(notices, bot, "carillon snooze", "minutes", "1", Map.of("reason", "tired"));
    assertThat(typing.awaitChoices(WAIT)).containsExactly(new Interaction.Choice("5 minutes", "5"),
        new Interaction.Choice("10 minutes", "10"));
    CommandAutoCompleteInteractionEvent event = slot(autocompletes, typing.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(event.getFocusedOption().getType()).isEqualTo(OptionType.INTEGER);
    assertThat(event.getFocusedOption().getValue()).isEqualTo("1");
    assertThat(event.getOption("reason").getAsString()).isEqualTo("tired");

    Interaction picked = alice.runSlashCommand(notices, bot, "carillon snooze", Map.of("minutes", 10));
    assertThat(seen(picked).getOption("minutes").getAsLong()).isEqualTo(10);
  }

  @Test
  void onlyOptionsRegisteredWithAutocompleteCanBeAutocompleted() {
    assertThatThrownBy(() -> alice.autocomplete(notices, bot, "carillon volume", "percent", "4", Map.of()))
        .hasMessage("option 'percent' of /carillon volume was not registered with autocomplete, so Discord sends"
            + " the bot nothing while it is typed");
    assertThatThrownBy(() -> alice.autocomplete(notices, bot, "carillon play", "colour", "r", Map.of()))
        .hasMessage("/carillon play has no option 'colour'; its options are session");
    assertThatThrownBy(() -> alice.autocomplete(notices, bot, "carillon snooze", "minutes", "1", Map.of("reason", 5)))
        .hasMessage("option 'reason' of /carillon snooze is a string option (Discord type 3) and takes text, not the"
            + " number 5");
  }

  // ---- answers

  @Test
  void anEphemeralReplyIsSeenOnlyByTheUser() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "carillon status", Map.of());
    SentMessage reply = run.awaitReply(WAIT);
    assertThat(run.ephemeral()).isTrue();
    assertThat(run.deferred()).isFalse();
    assertThat(discord.messages(notices)).extracting(SentMessage::id).doesNotContain(reply.id());
  }

  @Test
  void aDeferredEphemeralReplyIsTheFirstFollowupAndLaterOnesMayBePublic() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "carillon later", Map.of());
    assertThat(run.awaitReply(WAIT).content()).isEqualTo("later done");
    assertThat(run.deferred()).isTrue();
    assertThat(run.ephemeral()).isTrue();
    assertThat(laterFirstFollowupEphemeral.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Awaitility.await().atMost(WAIT).until(() -> run.followups().size() == 2);
    assertThat(run.followups()).extracting(SentMessage::content).containsExactly("later done", "public extra");
    List<String> channel = discord.messages(notices).stream().map(SentMessage::content).toList();
    assertThat(channel).contains("public extra").doesNotContain("later done");
  }

  @Test
  void discordRefusesASecondAnswerAWrongCallbackTypeAndTooManyChoices() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "carillon quiet", Map.of());
    seen(run); // JDA has it and, for this subcommand, does not answer
    assertDiscordError(callback(run, "{\"type\":8,\"data\":{\"choices\":[]}}"), 400, 50035,
        "callback type 8 is not allowed for an application command interaction");
    assertDiscordError(followup(run, "{\"content\":\"too early\"}"), 404, 10015, "Unknown Webhook");
    assertThat(callback(run, "{\"type\":4,\"data\":{\"content\":\"first\"}}").statusCode()).isEqualTo(204);
    assertThat(run.awaitReply(WAIT).content()).isEqualTo("first");
    assertDiscordError(callback(run, "{\"type\":4,\"data\":{\"content\":\"second\"}}"), 400, 40060,
        "Interaction has already been acknowledged.");
    assertThat(followup(run, "{\"content\":\"more\"}").statusCode()).isEqualTo(200);

    Interaction typing = alice.autocomplete(notices, bot, "carillon quiet", "q", "x", Map.of());
    slot(autocompletes, typing.id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertDiscordError(callback(typing, "{\"type\":4,\"data\":{\"content\":\"hi\"}}"), 400, 50035,
        "not allowed for an autocomplete interaction");
    StringBuilder many = new StringBuilder("{\"type\":8,\"data\":{\"choices\":[");
    for (int i = 0; i < 26; i++) {
      many.append(i == 0 ? "" : ",").append("{\"name\":\"n").append(i).append("\",\"value\":\"v\"}");
    }
    HttpResponse<String> tooMany = callback(typing, many + "]}}");
    assertDiscordError(tooMany, 400, 50035, "Invalid Form Body");
    assertThat(json.readTree(tooMany.body()).at("/errors/data/choices/_errors/0/message").asText())
        .isEqualTo("Must be 25 or fewer in length.");
    assertThat(typing.choices()).isNotDone();
    assertThat(callback(typing, "{\"type\":8,\"data\":{\"choices\":[{\"name\":\"X\",\"value\":\"x\"}]}}").statusCode())
        .isEqualTo(204);
    assertThat(typing.awaitChoices(WAIT)).containsExactly(new Interaction.Choice("X", "x"));
  }

  HttpResponse<String> callback(Interaction interaction, String body) throws Exception {
    return post(discord.restUrl() + "interactions/" + interaction.id + "/" + interaction.token + "/callback", body);
  }

  HttpResponse<String> followup(Interaction interaction, String body) throws Exception {
    return post(discord.restUrl() + "webhooks/" + bot.applicationId() + "/" + interaction.token + "?wait=true", body);
  }

  HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void assertDiscordError(HttpResponse<String> response, int status, int code, String message) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("code").asInt()).isEqualTo(code);
    assertThat(body.get("message").asText()).contains(message);
  }

  // ---- the HTTP control API

  HttpResponse<String> control(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + discord.port() + "/_emulator" + path))
        .timeout(Duration.ofSeconds(10)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void subcommandsAndAutocompleteOverHttp() throws Exception {
    HttpResponse<String> typed = control("POST", "/channels/" + notices + "/autocomplete", "{\"userId\":\"" + alice.id()
        + "\",\"botId\":\"" + bot.id() + "\",\"name\":\"carillon play\",\"option\":\"session\",\"typed\":\"eve\"}");
    assertThat(typed.statusCode()).isEqualTo(202);
    String typing = json.readTree(typed.body()).get("interaction").asText();
    Awaitility.await().atMost(WAIT).until(() ->
        json.readTree(control("GET", "/interactions/" + typing, null).body()).get("choices").isArray());
    JsonNode offered = json.readTree(control("GET", "/interactions/" + typing, null).body());
    assertThat(offered.get("type").asText()).isEqualTo("autocomplete");
    assertThat(offered.get("choices").get(0).get("value").asText()).isEqualTo("evening");

    HttpResponse<String> ran = control("POST", "/channels/" + notices + "/commands", "{\"userId\":" + alice.id()
        + ",\"botId\":" + bot.id() + ",\"name\":\"carillon admin grant\",\"options\":{\"member\":\"" + bao.id()
        + "\",\"role\":" + managers + ",\"weight\":2,\"mode\":\"fast\"}}");
    assertThat(ran.statusCode()).isEqualTo(202);
    String id = json.readTree(ran.body()).get("interaction").asText();
    Awaitility.await().atMost(WAIT).until(() ->
        !json.readTree(control("GET", "/interactions/" + id, null).body()).get("reply").isNull());
    JsonNode answered = json.readTree(control("GET", "/interactions/" + id, null).body());
    assertThat(answered.get("reply").get("content").asText())
        .isEqualTo("member=bao user=bao role=managers where=null weight=2.0 target=null mode=fast");
    assertThat(answered.get("ephemeral").asBoolean()).isTrue();
  }

  @Test
  void overHttpWhatAClientCouldNotSendIs400AndWhatItWouldHideIs403() throws Exception {
    HttpResponse<String> hidden = control("POST", "/channels/" + notices + "/commands", "{\"userId\":" + bao.id()
        + ",\"botId\":" + bot.id() + ",\"name\":\"carillon status\"}");
    assertThat(hidden.statusCode()).isEqualTo(403);
    assertThat(json.readTree(hidden.body()).get("error").asText()).startsWith("/carillon is not available to bao");

    HttpResponse<String> wrong = control("POST", "/channels/" + notices + "/commands", "{\"userId\":" + alice.id()
        + ",\"botId\":" + bot.id() + ",\"name\":\"carillon volume\",\"options\":{\"percent\":\"loud\"}}");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json.readTree(wrong.body()).get("error").asText()).contains("is an integer option");

    HttpResponse<String> nested = control("POST", "/channels/" + notices + "/commands", "{\"userId\":" + alice.id()
        + ",\"botId\":" + bot.id() + ",\"name\":\"carillon volume\",\"options\":{\"percent\":[1]}}");
    assertThat(json.readTree(nested.body()).get("error").asText())
        .isEqualTo("'options.percent' must be a string, a number or a boolean, was [1]");

    HttpResponse<String> untyped = control("POST", "/channels/" + notices + "/autocomplete", "{\"userId\":" + alice.id()
        + ",\"botId\":" + bot.id() + ",\"name\":\"carillon play\",\"option\":\"session\"}");
    assertThat(untyped.statusCode()).isEqualTo(400);
    assertThat(json.readTree(untyped.body()).get("error").asText())
        .isEqualTo("'typed' must be a string (what the member has typed so far, may be empty) and is missing");
  }
}
