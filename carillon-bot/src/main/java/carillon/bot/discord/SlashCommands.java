package carillon.bot.discord;

import carillon.bot.config.Setting;
import carillon.bot.naming.NameKey;
import carillon.bot.events.ReminderOptIns;
import carillon.bot.playback.ActiveRun;
import carillon.bot.playback.Playback;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandParser;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.queue.InvalidCommandException;
import carillon.bot.queue.QueueClosedException;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.FieldError;
import carillon.bot.session.NameMatch;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.Sessions;
import carillon.bot.store.StoreUnavailableException;
import carillon.tasks.TaskGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /carillon} in Discord: {@code sessions}, {@code next}, {@code play}, {@code pause}, {@code resume},
 * {@code skip}, {@code stop}, {@code volume} and {@code status}. Controls go through the same command
 * queue as the web page and the API. Only members with Manage Server, or with the configured role, may
 * use them; replies are ephemeral and in the member's language ({@code commands*.properties}).
 *
 * <p>Every interaction is answered. The JDA event thread never waits: a subcommand is acknowledged at once
 * (deferred, well within Discord's 3 seconds), carried out on a task of ours once Discord has the
 * acknowledgement, and the deferred reply is then edited into the answer; a control waits for the queue
 * up to {@link #REPLY_WITHIN}, else the answer gives the command's id to look up. A failure inside a
 * subcommand still answers, with a short reason (the error itself goes to the log). Every answer and
 * autocomplete list is fitted to Discord's limits ({@link DiscordLimits}): long lists end with "… and N
 * more".
 *
 * <p>A session is named by what the member typed or picked: {@link Sessions#named} (exact name, then the
 * same name ignoring case and Unicode form, then a unique partial match); an ambiguous name is refused
 * with the candidates.
 */
public final class SlashCommands extends ListenerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SlashCommands.class);
  static final String NAME = "carillon";
  static final Duration REPLY_WITHIN = Duration.ofSeconds(10);
  private static final String BUNDLE = "carillon.bot.discord.commands";
  /** Room for the candidates of an "ambiguous name" answer, in characters (the rest: "and N more"). */
  private static final int CANDIDATES = 1_000;

  private final Sessions sessions;
  private final Scheduler scheduler;
  private final Playback playback;
  private final CommandQueue commands;
  private final Optional<String> commandRole;
  private final CommandRole role;
  private final TaskGroup tasks;
  private final ReminderOptIns optIns;
  private final LongFunction<Optional<Locale>> guildLanguage;

  /**
   * @param commandRole members with this role (an id, or a name: see {@link CommandRole}) may use the commands too
   * @param optIns members who asked for reminder DMs ({@code /carillon remind})
   * @param guildLanguage the language a guild chose (its calendar settings), for members whose own
   *     Discord language has no texts here; without one, English
   */
  public SlashCommands(Sessions sessions, Scheduler scheduler, Playback playback, CommandQueue commands,
      Optional<String> commandRole, ReminderOptIns optIns, TaskGroup tasks,
      LongFunction<Optional<Locale>> guildLanguage) {
    this.guildLanguage = guildLanguage;
    this.tasks = tasks;
    this.optIns = optIns;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.playback = playback;
    this.commands = commands;
    this.commandRole = commandRole;
    this.role = new CommandRole(commandRole);
  }

  /** The member's own language if there are texts in it, else the guild's chosen one, else English. */
  private Locale readerLanguage(SlashCommandInteractionEvent event) {
    Locale user = event.getUserLocale().toLocale();
    if (Setting.LANGUAGES.contains(user.getLanguage()) || event.getGuild() == null) {
      return user;
    }
    try {
      return guildLanguage.apply(event.getGuild().getIdLong()).orElse(user);
    } catch (StoreUnavailableException e) {
      return user; // English texts rather than no answer
    }
  }

  /** The command as registered in each guild. */
  public CommandData definition() {
    // Discord's client refuses a longer value than a name can be.
    OptionData session = new OptionData(OptionType.STRING, "session", "The session", false, true)
        .setMaxLength(SessionLimits.MAX_NAME);
    return Commands.slash(NAME, "Scheduled voice sessions")
        .setContexts(InteractionContextType.GUILD)
        // Discord shows the command to Manage Server only, unless a role is configured: then everyone sees
        // it and the role is checked here (Discord's own per-role overrides are set by server admins).
        .setDefaultPermissions(commandRole.isPresent() ? DefaultMemberPermissions.ENABLED
            : DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
        .addSubcommands(
            new SubcommandData("sessions", "List this server's sessions"),
            new SubcommandData("next", "The next session to start"),
            new SubcommandData("play", "Start a session now").addOptions(session.setRequired(true)),
            new SubcommandData("pause", "Pause what is playing").addOptions(optional(session)),
            new SubcommandData("resume", "Resume a paused session").addOptions(optional(session)),
            new SubcommandData("skip", "Skip to the next track").addOptions(optional(session)),
            new SubcommandData("stop", "Stop a session").addOptions(optional(session)),
            new SubcommandData("volume", "Set the volume").addOptions(
                new OptionData(OptionType.INTEGER, "percent", SessionLimits.MIN_VOLUME + " to " + SessionLimits.MAX_VOLUME,
                    true).setRequiredRange(SessionLimits.MIN_VOLUME, SessionLimits.MAX_VOLUME), optional(session)),
            new SubcommandData("status", "What is playing"),
            new SubcommandData("remind", "A direct message before each session of this server").addOptions(
                new OptionData(OptionType.STRING, "dm", "on or off", true).addChoice("on", "on").addChoice("off", "off")));
  }

  private static OptionData optional(OptionData session) {
    return new OptionData(session.getType(), session.getName(), session.getDescription(), false, true)
        .setMaxLength(session.getMaxLength());
  }

  @Override
  public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
    if (!event.getName().equals(NAME) || event.getGuild() == null || !event.getFocusedOption().getName().equals("session")) {
      return;
    }
    // The store is read on a task of ours: JDA's event thread never waits.
    tasks.spawn("/carillon autocomplete", () -> suggest(event));
  }

  /** Sessions whose name contains what was typed (ignoring case and Unicode form), by name, within Discord's limits. */
  private void suggest(CommandAutoCompleteInteractionEvent event) {
    if (event.getMember() == null || !allowed(event.getMember())) {
      // The same rule as the command: session names are not shown to members who may not run it.
      event.replyChoices(List.of()).queue(null, e -> log.warn("Could not answer autocomplete: {}", e.getMessage()));
      return;
    }
    List<Command.Choice> choices;
    try {
      String typed = NameKey.of(event.getFocusedOption().getValue().strip());
      boolean playing = !"play".equals(event.getSubcommandName());
      choices = sessions.inGuild(event.getGuild().getIdLong()).stream()
          .filter(s -> !playing || playback.active(s.id()).isPresent())
          .filter(s -> NameKey.of(s.name()).contains(typed))
          // The value is the name itself (at most SessionLimits.MAX_NAME, within a choice's 100): what the
          // member picks is looked up like what they type.
          .filter(s -> !s.name().isEmpty() && s.name().length() <= DiscordLimits.CHOICE)
          .sorted(Comparator.comparing(Session::name))
          .limit(DiscordLimits.CHOICES)
          .map(s -> new Command.Choice(DiscordLimits.shorten(s.name(), DiscordLimits.CHOICE), s.name()))
          .toList();
    } catch (StoreUnavailableException e) {
      choices = List.of(); // the store's state is logged once, by the store
    } catch (RuntimeException e) {
      // A bug: offer nothing rather than leave the member's list spinning.
      log.error("/carillon autocomplete failed", e);
      choices = List.of();
    }
    event.replyChoices(choices).queue(null, e -> log.warn("Could not answer autocomplete: {}", e.getMessage()));
  }

  @Override
  public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
    if (!event.getName().equals(NAME)) {
      return;
    }
    Texts texts = Texts.of(BUNDLE, readerLanguage(event));
    String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
    if (event.getGuild() == null || event.getMember() == null) {
      replyNow(event, sub, texts.format("only.in.server"));
      return;
    }
    // Reminders concern only the member asking: whoever Discord shows the command to may set their own.
    if (!sub.equals("remind") && !allowed(event.getMember())) {
      replyNow(event, sub, commandRole.map(role -> texts.format("denied.role", role)).orElseGet(() -> texts.format("denied")));
      return;
    }
    long guildId = event.getGuild().getIdLong();
    InteractionHook hook = event.getHook();
    // Acknowledge now (Discord allows 3 s) and do the work once Discord has the acknowledgement: a
    // command whose acknowledgement came too late (10062) was shown to the member as failed, so it is
    // not carried out behind their back.
    event.deferReply(true).queue(
        acknowledged -> carryOut(hook, sub, texts, () -> switch (sub) {
          case "sessions" -> listSessions(guildId, texts);
          case "next" -> next(guildId, texts);
          case "status" -> status(guildId, texts);
          case "remind" -> remind(guildId, event.getUser().getIdLong(), event.getOption("dm"), texts);
          case "play", "pause", "resume", "skip", "stop", "volume" -> control(event, guildId, sub, texts);
          default -> texts.format("unknown", sub);
        }),
        e -> log.warn("Could not acknowledge /carillon {}, so it was not carried out: {}", sub, e.getMessage()));
  }

  private void replyNow(SlashCommandInteractionEvent event, String sub, String text) {
    event.reply(DiscordLimits.content(text)).setEphemeral(true)
        .queue(null, e -> log.warn("Could not answer /carillon {}: {}", sub, e.getMessage()));
  }

  /**
   * Runs {@code handler} on a task of ours (the store and the queue may take a while) and edits the
   * deferred reply into its answer, or into a short reason if it failed: the member is never left at
   * "thinking…".
   */
  private void carryOut(InteractionHook hook, String sub, Texts texts, Supplier<String> handler) {
    try {
      tasks.spawn("/carillon " + sub, () -> {
        String answer;
        try {
          answer = handler.get();
        } catch (StoreUnavailableException e) {
          answer = texts.format("store.unavailable"); // the store's state is logged once, by the store
        } catch (RuntimeException e) {
          // Not the member's mistake (those are answered by the handler): a bug or a store failure,
          // logged in full for the operators.
          log.error("/carillon {} failed", sub, e);
          answer = texts.format("failed");
        }
        edit(hook, sub, answer);
      });
    } catch (IllegalStateException shuttingDown) {
      edit(hook, sub, texts.format("shutting.down"));
    }
  }

  private static void edit(InteractionHook hook, String sub, String answer) {
    hook.editOriginal(DiscordLimits.content(answer))
        .queue(null, e -> log.warn("Could not answer /carillon {}: {}", sub, e.getMessage()));
  }

  private boolean allowed(Member member) {
    return member.hasPermission(Permission.MANAGE_SERVER)
        || role.heldBy(member);
  }

  /** Submits a control to the queue and waits (on our task) for its result, up to {@link #REPLY_WITHIN}. */
  private String control(SlashCommandInteractionEvent event, long guildId, String sub, Texts texts) {
    CommandKind kind = CommandKind.valueOf(sub.toUpperCase(Locale.ROOT));
    OptionMapping given = event.getOption("session");
    Session session;
    if (given == null) {
      Optional<Session> playing = kind == CommandKind.PLAY ? Optional.empty() : onlyPlaying(guildId);
      if (playing.isEmpty()) {
        return texts.format(kind == CommandKind.PLAY ? "name.a.session" : "nothing.or.several.playing");
      }
      session = playing.get();
    } else {
      String typed = DiscordLimits.shorten(given.getAsString().strip(), SessionLimits.MAX_NAME);
      switch (sessions.named(guildId, given.getAsString())) {
        case NameMatch.One(Session one) -> session = one;
        case NameMatch.None() -> {
          return texts.format("no.such.session", typed);
        }
        case NameMatch.Several(List<Session> candidates) -> {
          return texts.format("ambiguous", typed, DiscordLimits.list(candidates.stream().map(Session::name).toList(),
              ", ", CANDIDATES, n -> texts.format("more.inline", n)));
        }
      }
    }
    OptionMapping percent = event.getOption("percent");
    Map<String, String> options = percent == null ? Map.of() : Map.of(CommandParser.VOLUME, percent.getAsString());
    return switch (CommandParser.parse(sub, options, session.id(), CommandSource.SLASH,
        event.getUser().getName() + " (" + event.getUser().getId() + ")")) {
      case CommandParser.Invalid(List<FieldError> errors) ->
          texts.format("invalid", errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
      case CommandParser.Valid(CommandRequest request) -> submit(request, session, texts);
    };
  }

  private String submit(CommandRequest request, Session session, Texts texts) {
    CommandRecord done;
    try {
      done = commands.submitAndWait(request, REPLY_WITHIN);
    } catch (InvalidCommandException e) {
      return texts.format("invalid", e.getMessage());
    } catch (QueueClosedException e) {
      return texts.format("shutting.down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return texts.format("shutting.down");
    }
    if (!done.status().isFinal()) {
      return texts.format("still.working", done.id());
    }
    String result = done.result().orElse("");
    if (done.status() != CommandStatus.DONE) {
      return texts.format("refused", result);
    }
    // A language with its own sentence for this kind of command says it in that language; otherwise
    // the queue's own (English) result is shown as it is.
    String key = "done." + request.kind().name();
    return texts.bundle().containsKey(key) && texts.bundle().getLocale().getLanguage().equals(texts.locale().getLanguage())
        ? texts.format(key, session.name(), request.volume() == null ? "" : request.volume())
        : texts.format("done", result);
  }

  /** The one session of the guild that is playing, if exactly one is. */
  private Optional<Session> onlyPlaying(long guildId) {
    List<Session> playing = sessions.inGuild(guildId).stream().filter(s -> playback.active(s.id()).isPresent()).toList();
    return playing.size() == 1 ? Optional.of(playing.getFirst()) : Optional.empty();
  }

  /** {@code /carillon remind dm:on|off}: the member's own opt-in to reminder DMs in this server. */
  private String remind(long guildId, long userId, OptionMapping dm, Texts texts) {
    boolean on = dm != null && dm.getAsString().equals("on");
    boolean changed = optIns.set(guildId, userId, on);
    return texts.format(on ? (changed ? "remind.on" : "remind.already.on") : (changed ? "remind.off" : "remind.already.off"));
  }

  private String listSessions(long guildId, Texts texts) {
    List<Session> list = sessions.inGuild(guildId).stream().sorted(Comparator.comparing(Session::name)).toList();
    if (list.isEmpty()) {
      return texts.format("sessions.none");
    }
    List<String> lines = list.stream().map(s -> "- **" + s.name() + "**: " + state(s, texts)).toList();
    String title = texts.format("sessions.title");
    return title + "\n" + DiscordLimits.list(lines, "\n", DiscordLimits.CONTENT - title.length() - 1,
        n -> texts.format("more", n));
  }

  private String state(Session s, Texts texts) {
    if (playback.active(s.id()).isPresent()) {
      return texts.format("state.playing");
    }
    if (!s.enabled()) {
      return texts.format("state.disabled");
    }
    return scheduler.nextStart(s.id()).map(t -> texts.format("state.next", timestamp(t)))
        .orElseGet(() -> texts.format("state.none"));
  }

  private String next(long guildId, Texts texts) {
    return sessions.inGuild(guildId).stream()
        .flatMap(s -> scheduler.nextStart(s.id()).map(t -> Map.entry(s, t)).stream())
        .min(Entry.comparingByValue())
        .map(next -> texts.format("next", next.getKey().name(), timestamp(next.getValue())))
        .orElseGet(() -> texts.format("next.none"));
  }

  private String status(long guildId, Texts texts) {
    List<ActiveRun> playing = playback.all().stream().filter(r -> r.session().guildId() == guildId).toList();
    if (playing.isEmpty()) {
      return texts.format("status.none");
    }
    List<String> lines = playing.stream().map(run -> texts.format(run.isPaused() ? "status.paused" : "status.playing",
        run.session().name(), run.currentTrack().map(t -> t.name()).orElse("-"), run.volume(),
        "<#" + run.session().voiceChannelId() + ">")).toList();
    return DiscordLimits.list(lines, "\n", DiscordLimits.CONTENT, n -> texts.format("more", n));
  }

  /** Discord renders this in each reader's own time zone. */
  private static String timestamp(Instant t) {
    return "<t:" + t.getEpochSecond() + ":F> (<t:" + t.getEpochSecond() + ":R>)";
  }

}
