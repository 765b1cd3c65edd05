package carillon.bot.discord;

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
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.Sessions;
import carillon.tasks.TaskGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;
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
 * <p>The JDA event thread never waits: a control is deferred, and the reply is sent when the queue
 * finishes the command (or after {@link #REPLY_WITHIN}, with its id to look up).
 */
public final class SlashCommands extends ListenerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SlashCommands.class);
  static final String NAME = "carillon";
  static final Duration REPLY_WITHIN = Duration.ofSeconds(10);
  private static final String BUNDLE = "carillon.bot.discord.commands";
  private static final int MAX_CHOICES = 25;

  private final Sessions sessions;
  private final Scheduler scheduler;
  private final Playback playback;
  private final CommandQueue commands;
  private final Optional<String> commandRole;
  private final CommandRole role;
  private final TaskGroup tasks;

  /** {@code commandRole}: members with this role (an id, or a name: see {@link CommandRole}) may use the commands too. */
  public SlashCommands(Sessions sessions, Scheduler scheduler, Playback playback, CommandQueue commands,
      Optional<String> commandRole, TaskGroup tasks) {
    this.tasks = tasks;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.playback = playback;
    this.commands = commands;
    this.commandRole = commandRole;
    this.role = new CommandRole(commandRole);
  }

  /** The command as registered in each guild. */
  public CommandData definition() {
    OptionData session = new OptionData(OptionType.STRING, "session", "The session", false, true);
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
            new SubcommandData("status", "What is playing"));
  }

  private static OptionData optional(OptionData session) {
    return new OptionData(session.getType(), session.getName(), session.getDescription(), false, true);
  }

  @Override
  public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
    if (!event.getName().equals(NAME) || event.getGuild() == null || !event.getFocusedOption().getName().equals("session")) {
      return;
    }
    // The store is read on a task of ours: JDA's event thread never waits.
    tasks.spawn("/carillon autocomplete", () -> suggest(event));
  }

  private void suggest(CommandAutoCompleteInteractionEvent event) {
    if (event.getMember() == null || !allowed(event.getMember())) {
      // The same rule as the command: session names are not shown to members who may not run it.
      event.replyChoices(List.of()).queue(null, e -> log.warn("Could not answer autocomplete: {}", e.getMessage()));
      return;
    }
    String typed = event.getFocusedOption().getValue().toLowerCase(Locale.ROOT);
    boolean playing = !"play".equals(event.getSubcommandName());
    List<Command.Choice> choices = sessions.inGuild(event.getGuild().getIdLong()).stream()
        .filter(s -> !playing || playback.active(s.id()).isPresent())
        .filter(s -> s.name().toLowerCase(Locale.ROOT).contains(typed))
        .sorted(Comparator.comparing(Session::name))
        .limit(MAX_CHOICES)
        .map(s -> new Command.Choice(s.name(), Long.toString(s.id())))
        .toList();
    event.replyChoices(choices).queue(null, e -> log.warn("Could not answer autocomplete: {}", e.getMessage()));
  }

  @Override
  public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
    if (!event.getName().equals(NAME)) {
      return;
    }
    Texts texts = Texts.of(BUNDLE, event.getUserLocale().toLocale());
    if (event.getGuild() == null || event.getMember() == null) {
      event.reply(texts.format("only.in.server")).setEphemeral(true).queue();
      return;
    }
    if (!allowed(event.getMember())) {
      event.reply(commandRole.map(role -> texts.format("denied.role", role)).orElseGet(() -> texts.format("denied")))
          .setEphemeral(true).queue();
      return;
    }
    long guildId = event.getGuild().getIdLong();
    String sub = event.getSubcommandName() == null ? "" : event.getSubcommandName();
    // Acknowledge now (Discord allows 3 s); the answer follows from a task of ours, so that JDA's event
    // thread never waits for the store or the queue. JDA holds the follow-up until the ack is through.
    event.deferReply(true).queue(null, e -> log.warn("Could not acknowledge /carillon {}: {}", sub, e.getMessage()));
    InteractionHook hook = event.getHook();
    tasks.spawn("/carillon " + sub, () -> {
      String answer = switch (sub) {
        case "sessions" -> listSessions(guildId, texts);
        case "next" -> next(guildId, texts);
        case "status" -> status(guildId, texts);
        case "play", "pause", "resume", "skip", "stop", "volume" -> control(event, guildId, sub, texts);
        default -> texts.format("unknown", sub);
      };
      hook.sendMessage(answer).setEphemeral(true)
          .queue(null, e -> log.warn("Could not answer /carillon {}: {}", sub, e.getMessage()));
    });
  }

  private boolean allowed(Member member) {
    return member.hasPermission(Permission.MANAGE_SERVER)
        || role.heldBy(member);
  }

  /** Submits a control to the queue and waits (on our task) for its result, up to {@link #REPLY_WITHIN}. */
  private String control(SlashCommandInteractionEvent event, long guildId, String sub, Texts texts) {
    CommandKind kind = CommandKind.valueOf(sub.toUpperCase(Locale.ROOT));
    OptionMapping given = event.getOption("session");
    Optional<Session> session = pick(given, guildId, kind != CommandKind.PLAY);
    if (session.isEmpty()) {
      return given != null ? texts.format("no.such.session", given.getAsString())
          : texts.format(kind == CommandKind.PLAY ? "name.a.session" : "nothing.or.several.playing");
    }
    OptionMapping percent = event.getOption("percent");
    Map<String, String> options = percent == null ? Map.of() : Map.of(CommandParser.VOLUME, percent.getAsString());
    return switch (CommandParser.parse(sub, options, session.get().id(), CommandSource.SLASH,
        event.getUser().getName() + " (" + event.getUser().getId() + ")")) {
      case CommandParser.Invalid(List<FieldError> errors) ->
          texts.format("invalid", errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
      case CommandParser.Valid(CommandRequest request) -> submit(request, session.get(), texts);
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

  /** The session the option names (by id, as autocomplete sends it, or by name), else the only one playing. */
  private Optional<Session> pick(OptionMapping option, long guildId, boolean defaultToPlaying) {
    List<Session> inGuild = sessions.inGuild(guildId);
    if (option == null) {
      if (!defaultToPlaying) {
        return Optional.empty();
      }
      List<Session> playing = inGuild.stream().filter(s -> playback.active(s.id()).isPresent()).toList();
      return playing.size() == 1 ? Optional.of(playing.getFirst()) : Optional.empty();
    }
    String given = option.getAsString().strip();
    return inGuild.stream()
        .filter(s -> Long.toString(s.id()).equals(given) || s.name().equalsIgnoreCase(given))
        .findFirst();
  }

  private String listSessions(long guildId, Texts texts) {
    List<Session> list = sessions.inGuild(guildId).stream().sorted(Comparator.comparing(Session::name)).toList();
    if (list.isEmpty()) {
      return texts.format("sessions.none");
    }
    StringBuilder text = new StringBuilder(texts.format("sessions.title")).append('\n');
    for (Session s : list) {
      text.append("- **").append(s.name()).append("**: ");
      if (playback.active(s.id()).isPresent()) {
        text.append(texts.format("state.playing"));
      } else if (!s.enabled()) {
        text.append(texts.format("state.disabled"));
      } else {
        text.append(scheduler.nextStart(s.id()).map(t -> texts.format("state.next", timestamp(t)))
            .orElseGet(() -> texts.format("state.none")));
      }
      text.append('\n');
    }
    return text.toString().strip();
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
    StringBuilder text = new StringBuilder();
    for (ActiveRun run : playing) {
      text.append(texts.format(run.isPaused() ? "status.paused" : "status.playing", run.session().name(),
          run.currentTrack().map(t -> t.name()).orElse("-"), run.volume(), "<#" + run.session().voiceChannelId() + ">"))
          .append('\n');
    }
    return text.toString().strip();
  }

  /** Discord renders this in each reader's own time zone. */
  private static String timestamp(Instant t) {
    return "<t:" + t.getEpochSecond() + ":F> (<t:" + t.getEpochSecond() + ":R>)";
  }

}
