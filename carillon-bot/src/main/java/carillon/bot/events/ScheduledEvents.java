package carillon.bot.events;

import carillon.bot.config.Setting;
import carillon.bot.discord.BotAccounts;
import carillon.bot.discord.GuildLanguage;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.store.StoreUnavailableException;
import carillon.tasks.Task;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.ScheduledEvent;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.events.guild.scheduledevent.ScheduledEventDeleteEvent;
import net.dv8tion.jda.api.events.guild.scheduledevent.update.ScheduledEventUpdateStatusEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.RestAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Discord scheduled event per session that asks for it ({@link Session#publishEvent()}): for its
 * next occurrence, in its voice or Stage channel, named after it. The event follows the session: edited
 * when the session is, deleted when it is disabled or deleted; ACTIVE when a run of that occurrence starts,
 * COMPLETED when it ends (CANCELED when the occurrence is not played), and then the next occurrence gets a
 * new event.
 *
 * <p>People are not fought (docs/sessions.md "Discord events"): an event a person deletes in Discord is
 * not recreated until the session is edited; an event a person edits keeps their edit until the session
 * is edited; one a person ends or cancels is not replaced for that occurrence, the next occurrence gets a
 * new one.
 *
 * <p>Best effort: all work happens on tracked tasks; Discord's refusals, missing permissions and timeouts
 * are logged (once per session and reason) and never reach playback.
 */
public final class ScheduledEvents {
  private static final Logger log = LoggerFactory.getLogger(ScheduledEvents.class);
  /** How long one Discord request may take. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  /** A run that starts this long before its occurrence (join ahead) still makes the event ACTIVE. */
  private static final Duration EARLY_START = Duration.ofMinutes(1);
  /** Discord refuses events further ahead than this (JDA checks it too). */
  private static final Duration HORIZON = Duration.ofDays(5 * 365 - 2);
  private static final int MAX_DESCRIPTION = 1_000;

  private final Sessions sessions;
  private final BotAccounts accounts;
  private final EventStore store;
  private final TimeSource time;
  private final TaskGroup tasks;
  private final GuildLanguage language;
  private final LongPredicate ownsGuild;
  private final Map<Long, Object> locks = new ConcurrentHashMap<>();
  /** Per session, the last failure logged, so that the same one is not logged again. */
  private final Map<Long, String> failing = new ConcurrentHashMap<>();

  /**
   * @param language which language an event's description is in, per guild
   * @param ownsGuild whether this process holds the guild's shard ({@code cluster.ShardOwnership#owns}): in a
   *     cluster only the holder keeps a guild's events, so that two processes never make two
   */
  public ScheduledEvents(Sessions sessions, BotAccounts accounts, Database db, TimeSource time, TaskGroup tasks,
      GuildLanguage language, LongPredicate ownsGuild) {
    this.ownsGuild = ownsGuild;
    this.sessions = sessions;
    this.accounts = accounts;
    this.store = new EventStore(db);
    this.time = time;
    this.tasks = tasks;
    this.language = language;
    sessions.onChange(this::sessionChanged);
  }

  /** A session was created, edited or deleted (here, or on another process of a cluster): its event follows. */
  public void sessionChanged(long sessionId) {
    later("update the Discord event of session " + sessionId, () -> reconcile(sessionId));
  }

  /**
   * Brings every session's event up to date (at start-up: edits, deletions and runs while down), on a task.
   *
   * @return that task, or empty when shutting down
   */
  public Optional<Task> start() {
    return later("update Discord events", () -> {
      Set<Long> ids = new LinkedHashSet<>(store.sessionIds());
      sessions.enabled().stream().filter(Session::publishEvent).forEach(s -> ids.add(s.id()));
      ids.forEach(this::reconcile);
    });
  }

  /** The JDA listener that notices events people delete or end in Discord; add it to every account. */
  public Object listener() {
    return new ListenerAdapter() {
      @Override
      public void onScheduledEventDelete(ScheduledEventDeleteEvent event) {
        long eventId = event.getScheduledEvent().getIdLong();
        later("notice a deleted Discord event", () -> deletedByAPerson(eventId));
      }

      @Override
      public void onScheduledEventUpdateStatus(ScheduledEventUpdateStatusEvent event) {
        ScheduledEvent.Status status = event.getNewStatus();
        if (status == ScheduledEvent.Status.COMPLETED || status == ScheduledEvent.Status.CANCELED) {
          long eventId = event.getScheduledEvent().getIdLong();
          later("notice an ended Discord event", () -> endedByAPerson(eventId, status));
        }
      }
    };
  }

  /** The Discord event kept for a session now, if any (reminders read who is interested in it). */
  Optional<Long> eventOf(long sessionId) {
    return store.find(sessionId).flatMap(EventStore.Kept::eventId);
  }

  // ---- runs

  /** A run of the session started: the event of a due occurrence becomes ACTIVE. */
  public void started(Session session) {
    later("start the Discord event of '" + session.name() + "'", () -> {
      synchronized (lock(session.id())) {
        Optional<EventStore.Kept> kept = store.find(session.id());
        if (kept.isEmpty() || kept.get().eventId().isEmpty() || kept.get().active() || !due(kept.get())) {
          return;
        }
        if (setStatus(session, kept.get(), ScheduledEvent.Status.ACTIVE)) {
          store.save(new EventStore.Kept(session.id(), session.guildId(), kept.get().eventId(), kept.get().occurrence(),
              true, kept.get().leftAloneAt(), kept.get().writtenFor()));
        }
      }
    });
  }

  /** A run of the session ended (completed, stopped, cut short): its event is COMPLETED, the next one made. */
  public void ended(Session session) {
    finish(session, true);
  }

  /** The session's due occurrence was not played (could not start, skipped): its event is CANCELED. */
  public void notPlayed(Session session) {
    finish(session, false);
  }

  private void finish(Session session, boolean played) {
    later("end the Discord event of '" + session.name() + "'", () -> {
      synchronized (lock(session.id())) {
        Optional<EventStore.Kept> kept = store.find(session.id());
        if (kept.isPresent() && kept.get().eventId().isPresent() && (kept.get().active() || due(kept.get()))) {
          // Forgotten first: the gateway's echo of the change is then not taken for a person's doing.
          store.save(kept.get().withoutEvent());
          if (played && !kept.get().active()) {
            setStatus(session, kept.get(), ScheduledEvent.Status.ACTIVE); // ended before its start was seen
          }
          setStatus(session, kept.get(), played || kept.get().active()
              ? ScheduledEvent.Status.COMPLETED : ScheduledEvent.Status.CANCELED);
        }
      }
      reconcile(session.id());
    });
  }

  /** Whether the kept event's occurrence has come (or is about to, for a run that joined ahead). */
  private boolean due(EventStore.Kept kept) {
    return kept.occurrence().map(at -> !at.isAfter(time.now().plus(EARLY_START))).orElse(false);
  }

  // ---- keeping the event in step with the session

  private void reconcile(long sessionId) {
    synchronized (lock(sessionId)) {
      Optional<Session> found = sessions.find(sessionId);
      Optional<EventStore.Kept> kept = store.find(sessionId);
      long guildId = found.map(Session::guildId).or(() -> kept.map(EventStore.Kept::guildId)).orElse(0L);
      if (guildId != 0 && !ownsGuild.test(guildId)) {
        return; // another process of the cluster holds the guild, and keeps its events
      }
      if (found.isEmpty() || !found.get().enabled() || !found.get().publishEvent()) {
        kept.flatMap(EventStore.Kept::eventId).ifPresent(eventId -> {
          store.save(kept.get().withoutEvent());
          delete(found, kept.get().guildId(), eventId);
        });
        kept.ifPresent(k -> store.delete(sessionId));
        return;
      }
      Session session = found.get();
      EventStore.Kept current = kept.orElse(EventStore.Kept.none(sessionId, session.guildId()));
      if (current.leftAloneAt().filter(session.updatedAt()::equals).isPresent()) {
        return; // a person deleted it: not recreated until the session is edited
      }
      if (current.active()) {
        return; // the run plays; its end completes the event and makes the next
      }
      Instant now = time.now();
      Optional<Instant> next = session.schedule().next(now).filter(at -> at.isBefore(now.plus(HORIZON)));
      if (current.eventId().isPresent()) {
        if (current.occurrence().filter(at -> !at.isAfter(now)).isPresent()
            && current.occurrence().get().plus(session.lateGrace()).isAfter(now)) {
          return; // its start is due or late within its grace: the run may still come (a late start)
        }
        if (current.occurrence().filter(at -> !at.isAfter(now)).isPresent()) {
          // its occurrence passed without a run (missed while down, say): canceled, then the next one
          store.save(current.withoutEvent());
          setStatus(session, current, ScheduledEvent.Status.CANCELED);
          current = current.withoutEvent();
        } else if (next.isPresent() && next.equals(current.occurrence())
            && current.writtenFor().filter(session.updatedAt()::equals).isPresent()) {
          return; // as written, or as a person edited it since
        } else if (next.isPresent()) {
          edit(session, current, next.get());
          return;
        } else {
          store.save(current.withoutEvent());
          delete(found, current.guildId(), current.eventId().get());
          return;
        }
      }
      boolean editedSince = current.writtenFor().filter(session.updatedAt()::equals).isEmpty();
      if (next.isEmpty() || (next.equals(current.occurrence()) && !editedSince)) {
        return; // nothing ahead, or a person ended this occurrence's event
      }
      create(session, next.get());
    }
  }

  private void create(Session session, Instant occurrence) {
    Optional<Guild> guild = guild(session.guildId());
    Optional<GuildChannel> channel = guild.map(g -> g.getGuildChannelById(session.voiceChannelId()));
    if (channel.isEmpty()) {
      failed(session, "no bot account sees its voice channel " + session.voiceChannelId());
      return;
    }
    try {
      String description = description(session, guild.get());
      ScheduledEvent event = complete(() -> {
        var action = guild.get().createScheduledEvent(session.name(), channel.get(), occurrence.atOffset(ZoneOffset.UTC))
            .setDescription(description);
        return session.maxDuration().isEmpty() ? action
            : action.setEndTime(occurrence.plus(session.maxDuration().get()).atOffset(ZoneOffset.UTC));
      });
      store.save(new EventStore.Kept(session.id(), session.guildId(), Optional.of(event.getIdLong()),
          Optional.of(occurrence), false, Optional.empty(), Optional.of(session.updatedAt())));
      log.info("Session '{}' has a Discord event for its {} start", session.name(), occurrence);
      recovered(session);
    } catch (DiscordFailure e) {
      failed(session, "its Discord event could not be created: " + e.getMessage());
    }
  }

  private void edit(Session session, EventStore.Kept kept, Instant occurrence) {
    Optional<Guild> guild = guild(session.guildId());
    Optional<GuildChannel> channel = guild.map(g -> g.getGuildChannelById(session.voiceChannelId()));
    if (channel.isEmpty()) {
      failed(session, "no bot account sees its voice channel " + session.voiceChannelId());
      return;
    }
    try {
      ScheduledEvent event = complete(() -> guild.get().retrieveScheduledEventById(kept.eventId().orElseThrow())
          .useCache(false));
      String description = description(session, guild.get());
      complete(() -> {
        var manager = event.getManager().setName(session.name()).setDescription(description).setLocation(channel.get());
        if (!occurrence.equals(event.getStartTime().toInstant())) {
          // Discord checks the end against the start: the end moves with it.
          manager = manager.setEndTime(occurrence.plus(session.maxDuration().orElse(Duration.ofHours(1)))
              .atOffset(ZoneOffset.UTC)).setStartTime(occurrence.atOffset(ZoneOffset.UTC));
        }
        return manager;
      });
      store.save(new EventStore.Kept(session.id(), session.guildId(), kept.eventId(), Optional.of(occurrence), false,
          Optional.empty(), Optional.of(session.updatedAt())));
      log.info("Session '{}': its Discord event now announces its {} start", session.name(), occurrence);
      recovered(session);
    } catch (DiscordFailure e) {
      if (e.gone()) {
        // deleted while Carillon was not looking: as a person deleting it
        store.save(new EventStore.Kept(session.id(), session.guildId(), Optional.empty(), kept.occurrence(), false,
            Optional.of(session.updatedAt()), kept.writtenFor()));
        log.info("Session '{}': its Discord event was deleted in Discord; it is not recreated until the session is edited",
            session.name());
      } else {
        failed(session, "its Discord event could not be updated: " + e.getMessage());
      }
    }
  }

  /** Sets an event's status; true if Discord took it (an event already gone or ended counts as done). */
  private boolean setStatus(Session session, EventStore.Kept kept, ScheduledEvent.Status status) {
    Optional<Guild> guild = guild(session.guildId());
    if (guild.isEmpty()) {
      failed(session, "no bot account is in its guild");
      return false;
    }
    try {
      ScheduledEvent event = complete(() -> guild.get().retrieveScheduledEventById(kept.eventId().orElseThrow())
          .useCache(false));
      if (event.getStatus() == status) {
        return true;
      }
      if (event.getStatus() == ScheduledEvent.Status.COMPLETED || event.getStatus() == ScheduledEvent.Status.CANCELED) {
        return false; // a person ended it: left as it is
      }
      complete(() -> event.getManager().setStatus(status));
      log.info("Session '{}': its Discord event is {}", session.name(), status);
      recovered(session);
      return true;
    } catch (DiscordFailure e) {
      if (!e.gone()) {
        failed(session, "its Discord event could not be set " + status + ": " + e.getMessage());
      }
      return false;
    }
  }

  private void delete(Optional<Session> session, long guildId, long eventId) {
    Optional<Guild> guild = guild(guildId);
    String name = session.map(Session::name).orElse("(deleted)");
    if (guild.isEmpty()) {
      log.warn("The Discord event {} of session '{}' could not be deleted: no bot account is in its guild", eventId, name);
      return;
    }
    try {
      ScheduledEvent event = complete(() -> guild.get().retrieveScheduledEventById(eventId).useCache(false));
      complete(event::delete);
      log.info("Deleted the Discord event of session '{}'", name);
    } catch (DiscordFailure e) {
      if (!e.gone()) {
        log.warn("The Discord event {} of session '{}' could not be deleted: {}", eventId, name, e.getMessage());
      }
    }
  }

  // ---- what people do in Discord

  private void deletedByAPerson(long eventId) {
    Optional<EventStore.Kept> kept = store.byEvent(eventId);
    if (kept.isEmpty()) {
      return; // not ours, or deleted by Carillon itself (forgotten before)
    }
    synchronized (lock(kept.get().sessionId())) {
      Optional<EventStore.Kept> now = store.byEvent(eventId);
      Optional<Session> session = sessions.find(kept.get().sessionId());
      if (now.isEmpty() || session.isEmpty()) {
        return;
      }
      store.save(new EventStore.Kept(now.get().sessionId(), now.get().guildId(), Optional.empty(), now.get().occurrence(),
          false, Optional.of(session.get().updatedAt()), now.get().writtenFor()));
      log.info("Session '{}': a person deleted its Discord event; it is not recreated until the session is edited",
          session.get().name());
    }
  }

  private void endedByAPerson(long eventId, ScheduledEvent.Status status) {
    Optional<EventStore.Kept> kept = store.byEvent(eventId);
    if (kept.isEmpty()) {
      return;
    }
    synchronized (lock(kept.get().sessionId())) {
      Optional<EventStore.Kept> now = store.byEvent(eventId);
      if (now.isPresent()) {
        store.save(now.get().withoutEvent());
        log.info("Session {}: a person set its Discord event {}; the next occurrence gets a new one",
            now.get().sessionId(), status);
      }
    }
  }

  // ---- helpers

  private Object lock(long sessionId) {
    return locks.computeIfAbsent(sessionId, id -> new Object());
  }

  private Optional<Task> later(String what, Runnable work) {
    if (tasks.isShutdown()) {
      return Optional.empty();
    }
    try {
      return Optional.of(tasks.spawn(what, () -> {
        try {
          work.run();
        } catch (StoreUnavailableException e) {
          log.warn("Could not {}: the store is unavailable", what);
        }
      }));
    } catch (IllegalStateException shuttingDown) {
      log.debug("Not done, shutting down: {}", what);
      return Optional.empty();
    }
  }

  private Optional<Guild> guild(long guildId) {
    return accounts.primaryIn(guildId).flatMap(account -> accounts.guild(account, guildId));
  }

  private String description(Session session, Guild guild) {
    String text = session.startText().orElseGet(() -> EventTexts.of(language.of(guild))
        .format("event.description", session.name(), session.playlist().size()));
    return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
  }

  private void failed(Session session, String reason) {
    if (!reason.equals(failing.put(session.id(), reason))) {
      log.warn("Session '{}': {}; this is not logged again until it changes", session.name(), reason);
    }
  }

  private void recovered(Session session) {
    if (failing.remove(session.id()) != null) {
      log.info("Session '{}': its Discord event is kept again", session.name());
    }
  }

  /** What Discord answered instead: a refusal, a missing permission, a timeout, or JDA's own check. */
  static final class DiscordFailure extends Exception {
    private final boolean gone;

    DiscordFailure(String message, boolean gone, Throwable cause) {
      super(message, cause);
      this.gone = gone;
    }

    /** The event is unknown to Discord (deleted). */
    boolean gone() {
      return gone;
    }
  }

  /** Runs a Discord request with a timeout, turning what Discord (or JDA's checks) refuse into {@link DiscordFailure}. */
  static <T> T complete(Supplier<RestAction<T>> request) throws DiscordFailure {
    try {
      return request.get().timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).complete();
    } catch (ErrorResponseException e) {
      boolean gone = e.getErrorResponse() == ErrorResponse.UNKNOWN_SCHEDULED_EVENT;
      throw new DiscordFailure(e.getMeaning() + " (" + e.getErrorCode() + ")", gone, e);
    } catch (InsufficientPermissionException e) {
      throw new DiscordFailure("missing permission " + e.getPermission().getName(), false, e);
    } catch (CompletionException e) {
      throw new DiscordFailure("Discord did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s", false, e);
    } catch (IllegalArgumentException e) {
      // JDA's own checks of what Discord would refuse: a start in the past, a status change it does not allow
      throw new DiscordFailure(e.getMessage(), false, e);
    }
  }

  /** The members interested in an event, as Discord lists them (none if it is gone or cannot be read). */
  List<Member> interested(long guildId, long eventId) throws DiscordFailure {
    Optional<Guild> guild = guild(guildId);
    if (guild.isEmpty()) {
      return List.of();
    }
    ScheduledEvent event = complete(() -> guild.get().retrieveScheduledEventById(eventId).useCache(false));
    return complete(event::retrieveInterestedMembers);
  }
}
