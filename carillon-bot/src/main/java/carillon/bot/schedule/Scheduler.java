package carillon.bot.schedule;

import carillon.bot.playback.CrashRecovery;
import carillon.bot.playback.Notifier;
import carillon.bot.playback.Playback;
import carillon.bot.playback.SessionStarter;
import carillon.bot.playback.Slots;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.store.StoreUnavailableException;
import carillon.tasks.Occurrence;
import carillon.tasks.Schedule;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts sessions on time. Each enabled session has one timer, armed at its next reminder or start; no
 * polling. A start goes through {@link SessionStarter} (a voice slot, then the occurrence in the store,
 * then playback).
 *
 * <ul>
 *   <li>Created, edited, enabled, disabled or deleted sessions are re-planned at once ({@link Sessions#onChange}).</li>
 *   <li>At start-up (after {@link CrashRecovery} took up the runs a crash cut short), an occurrence that
 *       fell during downtime starts late if within its grace, and is recorded as missed otherwise.</li>
 *   <li>A start whose guild has no free voice slot waits for one within its grace, then is recorded as
 *       skipped (busy) with a notice.</li>
 *   <li>Every session honours its guild's skipped dates ({@link SkipDates}) and its own {@code except}
 *       dates: such an occurrence is not played, gets no reminder, and logs one line when its time comes
 *       (runs record only what was due to play). A changed skip list re-plans the guild's sessions.</li>
 * </ul>
 */
public final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  /** After a long downtime, occurrences older than this are not even recorded as missed. */
  private static final Duration MISSED_HORIZON = Duration.ofDays(7);
  /** How often a start the store could not claim (it was unavailable) is tried again, within its grace. */
  static final Duration STORE_RETRY = Duration.ofSeconds(5);

  private final Sessions sessions;
  private final Runs runs;
  private final Slots slots;
  private final Playback playback;
  private final SessionStarter starter;
  private final Notifier notifier;
  private final TimeSource time;
  private final TaskGroup tasks;
  private final Map<Long, Plan> plans = new ConcurrentHashMap<>();
  private final Duration joinAhead;
  private final SkipDates skipDates;
  private final LongPredicate ownsGuild;
  /** Starts waiting for a free slot, oldest first; guarded by itself. */
  private final List<Waiting> waiting = new ArrayList<>();

  public Scheduler(Sessions sessions, Runs runs, Slots slots, Playback playback, SessionStarter starter,
      Notifier notifier, TimeSource time, TaskGroup tasks) {
    this(sessions, runs, slots, playback, starter, notifier, time, tasks, Duration.ZERO);
  }

  /**
   * @param joinAhead how long before a start the bot joins the voice channel (zero: at the start), so
   *     that audio begins at the scheduled instant instead of after the voice handshake
   */
  public Scheduler(Sessions sessions, Runs runs, Slots slots, Playback playback, SessionStarter starter,
      Notifier notifier, TimeSource time, TaskGroup tasks, Duration joinAhead) {
    this(sessions, runs, slots, playback, starter, notifier, time, tasks, joinAhead, SkipDates.NONE, guildId -> true);
  }

  /**
   * @param skipDates each guild's skipped dates, honoured by all its sessions
   * @param ownsGuild whether this process holds the guild's shard now ({@code cluster.ShardOwnership#owns}):
   *     only those guilds' sessions are planned; {@link #shardsGained()} and {@link #shardsLost} follow changes
   */
  public Scheduler(Sessions sessions, Runs runs, Slots slots, Playback playback, SessionStarter starter,
      Notifier notifier, TimeSource time, TaskGroup tasks, Duration joinAhead, SkipDates skipDates,
      LongPredicate ownsGuild) {
    this.ownsGuild = ownsGuild;
    this.joinAhead = joinAhead;
    this.skipDates = skipDates;
    this.starter = starter;
    this.sessions = sessions;
    this.runs = runs;
    this.slots = slots;
    this.playback = playback;
    this.notifier = notifier;
    this.time = time;
    this.tasks = tasks;
    sessions.onChange(this::sessionChanged);
    slots.onRelease(this::slotFreed);
    skipDates.onChange(this::guildChanged);
  }

  /** Plans every enabled session (after {@link CrashRecovery#resumeOrInterruptAll()}). */
  public void start() {
    List<Session> enabled = sessions.enabled().stream().filter(s -> ownsGuild.test(s.guildId())).toList();
    planFromLastRun(enabled);
    log.info("Scheduler planned {} enabled sessions", enabled.size());
  }

  /**
   * This process now holds more shards (after {@link CrashRecovery} took up their guilds' runs): plans
   * the enabled sessions of guilds it owns that it had not planned, occurrences missed meanwhile included.
   */
  public void shardsGained() {
    List<Session> added = sessions.enabled().stream()
        .filter(s -> ownsGuild.test(s.guildId()) && !plans.containsKey(s.id())).toList();
    planFromLastRun(added);
    log.info("Scheduler planned {} more enabled sessions of shards this process took", added.size());
  }

  /** This process no longer holds these guilds' shards: their timers stop and their joins ahead are given back. */
  public void shardsLost(LongPredicate inGuild) {
    synchronized (waiting) {
      waiting.removeIf(w -> inGuild.test(w.session.guildId()) && w.giveUp.cancel());
    }
    for (Plan plan : List.copyOf(plans.values())) {
      if (inGuild.test(plan.session.guildId())) {
        unplan(plan.session.id());
      }
    }
  }

  private void planFromLastRun(List<Session> enabled) {
    Map<Long, Instant> lastRuns = runs.lastScheduledAtBySession();
    for (Session session : enabled) {
      // Occurrences after the latest run (or the last edit) and before now fell while the process was down.
      Instant lastRun = lastRuns.get(session.id());
      plan(session, Optional.of(lastRun != null && lastRun.isAfter(session.updatedAt()) ? lastRun : session.updatedAt()));
    }
  }

  /** Cancels every timer (at shutdown). */
  public void stop() {
    for (Plan plan : plans.values()) {
      SessionStarter.Claimed prepared;
      synchronized (plan) {
        plan.timer.cancel();
        prepared = plan.takePrepared();
      }
      if (prepared != null) {
        giveBack(prepared);
      }
    }
    plans.clear();
  }

  /** When the session's next start is planned, if it is enabled. */
  public Optional<Instant> nextStart(long sessionId) {
    Plan plan = plans.get(sessionId);
    if (plan == null) {
      return Optional.empty();
    }
    synchronized (plan) {
      return Optional.ofNullable(plan.nextStart);
    }
  }

  /**
   * Whether a session of a guild {@code inGuild} accepts is planned to start by {@code until} (or was due and
   * is starting); read from the plans in memory, for choosing which shards to release.
   */
  public boolean startsBy(LongPredicate inGuild, Instant until) {
    for (Plan plan : plans.values()) {
      synchronized (plan) {
        if (plan.nextStart != null && !plan.nextStart.isAfter(until) && inGuild.test(plan.session.guildId())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether this process plans (and so plays) the guild's sessions: it holds the guild's shard. */
  public boolean holds(long guildId) {
    return ownsGuild.test(guildId);
  }

  /**
   * The session's next start as its holder plans it: this process's plan if it holds the guild, else computed
   * the same way from the store (the session's schedule with its guild's skipped dates, the first occurrence
   * after now), so every process of a cluster answers alike. Empty when disabled or none is left.
   */
  public Optional<Instant> nextStart(Session session) {
    if (holds(session.guildId())) {
      return nextStart(session.id());
    }
    if (!session.enabled()) {
      return Optional.empty();
    }
    return scheduleOf(session).next(time.now());
  }

  /** The session's schedule with its guild's skipped dates: what its plan follows, here or on its holder. */
  private Schedule scheduleOf(Session session) {
    return session.schedule().skipping(skipDates.of(session.guildId()));
  }

  // ---- planning

  /** One enabled session's timer and next occurrence. */
  private final class Plan {
    final TimeSource.Timer timer;
    Session session;
    Instant nextStart;
    boolean reminded;
    /** The join ahead of the next start was tried (it may have found no free slot). */
    boolean joinTried;
    /** The occurrence and slot claimed and the voice channel joined ahead of the next start. */
    SessionStarter.Claimed prepared;
    /** The session's schedule with its guild's skipped dates. */
    Schedule schedule;
    /** A skipped occurrence before {@link #nextStart}, logged when its time comes; null if none. */
    Occurrence nextSkipped;

    Plan(Session session) {
      this.session = session;
      this.timer = time.timer("session " + session.id(), () -> fire(this));
    }

    SessionStarter.Claimed takePrepared() {
      SessionStarter.Claimed taken = prepared;
      prepared = null;
      joinTried = false;
      return taken;
    }
  }

  /** A guild's skipped dates changed: its sessions are planned again. */
  private void guildChanged(long guildId) {
    for (Plan plan : plans.values()) {
      Session session;
      synchronized (plan) {
        session = plan.session;
      }
      if (session.guildId() == guildId) {
        sessionChanged(session.id());
      }
    }
  }

  /** The first occurrence after {@code after} if it is skipped and comes before {@code nextStart}. */
  private static Occurrence skippedBefore(Schedule schedule, Instant after, Instant nextStart) {
    List<Occurrence> first = schedule.occurrences(after, 1);
    if (first.isEmpty() || !first.getFirst().skipped()) {
      return null;
    }
    Occurrence skipped = first.getFirst();
    return nextStart == null || skipped.instant().isBefore(nextStart) ? skipped : null;
  }

  /**
   * Plans a session again as it is in the store now: another process changed it (in a cluster, that process
   * tells the others with a notice).
   */
  public void replan(long sessionId) {
    sessionChanged(sessionId);
  }

  private void sessionChanged(long sessionId) {
    Optional<Session> changed = sessions.find(sessionId);
    synchronized (waiting) {
      waiting.removeIf(w -> w.session.id() == sessionId);
    }
    if (changed.isEmpty() || !changed.get().enabled() || !ownsGuild.test(changed.get().guildId())) {
      unplan(sessionId);
      return;
    }
    plan(changed.get(), Optional.empty());
  }

  private void unplan(long sessionId) {
    Plan removed = plans.remove(sessionId);
    if (removed != null) {
      SessionStarter.Claimed prepared;
      synchronized (removed) {
        removed.timer.cancel();
        prepared = removed.takePrepared();
      }
      if (prepared != null) {
        giveBack(prepared);
      }
    }
  }

  /** Gives back an occurrence claimed ahead that will not start from here; the store may be down. */
  private void giveBack(SessionStarter.Claimed claimed) {
    try {
      starter.releaseClaimed(claimed);
    } catch (StoreUnavailableException e) {
      log.warn("The claim of run {} could not be given back (the store is unavailable): it is given back at the next "
          + "start-up", claimed.runId());
    }
  }

  /**
   * Plans a session's next occurrence. At start-up, {@code catchUpFrom} is where the occurrences that
   * fell while the process was down begin: each starts late within its grace or is recorded as missed.
   */
  private void plan(Session session, Optional<Instant> catchUpFrom) {
    Plan plan = plans.computeIfAbsent(session.id(), id -> new Plan(session));
    // Read before taking the plan's lock: a store query must not hold up the timer that fires under it.
    Schedule schedule = scheduleOf(session);
    Instant now = time.now();
    Instant late = null;
    SessionStarter.Claimed stale;
    synchronized (plan) {
      plan.timer.cancel();
      stale = plan.takePrepared(); // the session changed: join again for its (maybe new) channel and time
      // The reminder of a start already reminded of is not sent again when only other fields changed.
      Instant remindedFor = plan.reminded ? plan.nextStart : null;
      plan.session = session;
      plan.schedule = schedule;
      Optional<Instant> next;
      if (catchUpFrom.isPresent()) {
        Instant cursor = catchUpFrom.get();
        Instant horizon = now.minus(MISSED_HORIZON);
        if (cursor.isBefore(horizon)) {
          cursor = horizon;
        }
        next = schedule.next(cursor);
        while (next.isPresent() && !next.get().isAfter(now)) {
          if (late != null) {
            recordMissed(session, late);
          }
          if (next.get().isBefore(now.minus(session.lateGrace()))) {
            recordMissed(session, next.get());
            late = null;
          } else {
            late = next.get();
          }
          next = schedule.next(next.get());
        }
      } else {
        next = schedule.next(now);
      }
      plan.nextStart = next.orElse(null);
      plan.reminded = remindedFor != null && remindedFor.equals(plan.nextStart);
      plan.nextSkipped = skippedBefore(schedule, now, plan.nextStart);
      arm(plan, now);
    }
    if (stale != null) {
      giveBack(stale);
    }
    if (late != null) {
      Instant scheduledAt = late;
      log.info("Session '{}' starts late: its {} start fell during downtime, within its grace", session.name(), scheduledAt);
      tasks.spawn("late start '" + session.name() + "'", () -> trigger(session, scheduledAt));
    }
  }

  /** Arms the plan's timer at its reminder, or its start. Plan lock held. */
  private void arm(Plan plan, Instant now) {
    if (plan.nextStart == null && plan.nextSkipped == null) {
      plan.timer.cancel();
      return;
    }
    if (plan.nextStart == null) {
      plan.timer.arm(plan.nextSkipped.instant());
      return;
    }
    Instant at = plan.nextStart;
    if (plan.nextSkipped != null) {
      at = earliest(at, plan.nextSkipped.instant(), now);
    }
    if (now.isBefore(plan.nextStart)) {
      Instant remindAt = reminderDue(plan);
      if (remindAt != null) {
        at = earliest(at, remindAt, now); // a late reminder beats none
      }
      Instant joinAt = joinDue(plan);
      if (joinAt != null) {
        at = earliest(at, joinAt, now);
      }
    }
    plan.timer.arm(at);
  }

  private static Instant earliest(Instant at, Instant due, Instant now) {
    Instant when = due.isAfter(now) ? due : now;
    return when.isBefore(at) ? when : at;
  }

  /** When the plan's reminder is due, or null if it has none pending. Plan lock held. */
  private static Instant reminderDue(Plan plan) {
    Duration reminder = plan.session.reminder();
    return reminder.isZero() || plan.reminded ? null : plan.nextStart.minus(reminder);
  }

  /** When the bot should join ahead of the start, or null if not (any more). Plan lock held. */
  private Instant joinDue(Plan plan) {
    return joinAhead.isZero() || plan.joinTried ? null : plan.nextStart.minus(joinAhead);
  }

  private void fire(Plan plan) {
    Session session;
    Instant start = null;
    Instant remindFor = null;
    Instant joinFor = null;
    SessionStarter.Claimed prepared = null;
    Occurrence skipped = null;
    synchronized (plan) {
      if (plans.get(plan.session.id()) != plan || (plan.nextStart == null && plan.nextSkipped == null)) {
        return;
      }
      session = plan.session;
      Instant now = time.now();
      if (plan.nextSkipped != null && !now.isBefore(plan.nextSkipped.instant())) {
        skipped = plan.nextSkipped;
        plan.nextSkipped = skippedBefore(plan.schedule, skipped.instant(), plan.nextStart);
      }
      if (plan.nextStart != null && now.isBefore(plan.nextStart)) {
        Instant remindAt = reminderDue(plan);
        if (remindAt != null && !now.isBefore(remindAt)) {
          plan.reminded = true;
          remindFor = plan.nextStart;
        }
        Instant joinAt = joinDue(plan);
        if (joinAt != null && !now.isBefore(joinAt)) {
          plan.joinTried = true;
          joinFor = plan.nextStart;
        }
      } else if (plan.nextStart != null) {
        start = plan.nextStart;
        prepared = plan.takePrepared();
        plan.nextStart = plan.schedule.next(start).orElse(null);
        plan.nextSkipped = skippedBefore(plan.schedule, start, plan.nextStart);
        plan.reminded = false;
      }
      arm(plan, now);
    }
    if (skipped != null) {
      log.info("Session '{}' does not play at {}: {}", session.name(), skipped.instant(),
          skipped.skippedBecause().orElse("skipped"));
    }
    if (remindFor != null) {
      notifier.reminder(session, remindFor);
    }
    if (joinFor != null) {
      joinAhead(plan, session, joinFor);
    }
    if (start != null) {
      trigger(session, start, Optional.ofNullable(prepared));
    }
  }

  /**
   * Claims a slot and the occurrence, then joins the voice channel ahead of the start, if a slot is free
   * now and the occurrence is not claimed already (by another process: then this one never touches voice);
   * otherwise the start goes the usual way. The slot is held from now: that is the price of audio on the dot.
   */
  private void joinAhead(Plan plan, Session session, Instant startAt) {
    Optional<SessionStarter.Claimed> claimed;
    try {
      claimed = starter.claimAhead(session, startAt);
    } catch (StoreUnavailableException e) {
      return; // the start claims it when the store is back
    }
    if (claimed.isEmpty()) {
      return; // it still plays, every slot is busy, or the occurrence is claimed: the start sorts it out
    }
    SessionStarter.Claimed prepared = claimed.get();
    boolean kept;
    synchronized (plan) {
      kept = plans.get(session.id()) == plan && startAt.equals(plan.nextStart) && plan.prepared == null;
      if (kept) {
        plan.prepared = prepared;
      }
    }
    if (!kept) {
      giveBack(prepared); // the session changed or started meanwhile
    }
  }

  private void recordMissed(Session session, Instant scheduledAt) {
    try {
      if (runs.recordNotPlayed(session.id(), scheduledAt, RunOutcome.MISSED,
          "its start fell during downtime, beyond its late-start grace of " + session.lateGrace().toMinutes() + " min")) {
        log.warn("Session '{}' missed its {} start", session.name(), scheduledAt);
      }
    } catch (StoreUnavailableException e) {
      log.warn("Session '{}' missed its {} start while the store was unavailable; it is not in the history", session.name(),
          scheduledAt);
    }
  }

  // ---- starting

  private void trigger(Session session, Instant scheduledAt) {
    trigger(session, scheduledAt, Optional.empty());
  }

  private void trigger(Session session, Instant scheduledAt, Optional<SessionStarter.Claimed> prepared) {
    Instant now = time.now();
    if (now.isAfter(scheduledAt.plus(session.lateGrace()))) {
      prepared.ifPresent(this::giveBack);
      recordMissed(session, scheduledAt);
      return;
    }
    if (prepared.isPresent()) {
      starter.startClaimed(session, prepared.get());
      return;
    }
    SessionStarter.Start start;
    try {
      start = starter.start(session, scheduledAt, Optional.empty());
    } catch (StoreUnavailableException e) {
      retryWhenStoreBack(session, scheduledAt);
      return;
    }
    switch (start) {
      case SessionStarter.Started _ -> { }
      // the previous run of this session still plays, or every slot is busy
      case SessionStarter.AlreadyPlaying _, SessionStarter.NoFreeSlot _ -> waitForSlot(session, scheduledAt);
      case SessionStarter.AlreadyClaimed _ ->
          log.info("Session '{}' at {} was already claimed; not playing it again", session.name(), scheduledAt);
    }
  }

  private record Waiting(Session session, Instant scheduledAt, TimeSource.Timer giveUp) {}

  /**
   * The store could not claim the occurrence (it is unavailable): tried again every {@link #STORE_RETRY}
   * until it starts or its late grace is over (then it is missed).
   */
  private void retryWhenStoreBack(Session session, Instant scheduledAt) {
    Instant retryAt = time.now().plus(STORE_RETRY);
    if (!time.now().isAfter(scheduledAt)) {
      log.warn("Session '{}' cannot start at {}: the store is unavailable; it starts when the store is back, within its "
          + "late grace of {} min", session.name(), scheduledAt, session.lateGrace().toMinutes());
    }
    tasks.spawn("start '" + session.name() + "' when the store is back", () -> {
      time.sleepUntil(retryAt);
      trigger(session, scheduledAt);
    });
  }

  private void waitForSlot(Session session, Instant scheduledAt) {
    Instant giveUpAt = scheduledAt.plus(session.lateGrace());
    Waiting[] entry = new Waiting[1];
    TimeSource.Timer giveUp = time.timer("busy '" + session.name() + "'", () -> {
      boolean removed;
      synchronized (waiting) {
        removed = waiting.remove(entry[0]);
      }
      String busy = starter.busyReason(session.guildId());
      if (removed && runs.recordNotPlayed(session.id(), scheduledAt, RunOutcome.SKIPPED_BUSY, busy)) {
        log.warn("Session '{}' at {} skipped: {}", session.name(), scheduledAt, busy);
        notifier.skippedBusy(session, scheduledAt);
      }
    });
    entry[0] = new Waiting(session, scheduledAt, giveUp);
    synchronized (waiting) {
      waiting.add(entry[0]);
    }
    log.info("Session '{}' waits for a free voice slot until {}", session.name(), giveUpAt);
    giveUp.arm(giveUpAt);
  }

  private void slotFreed(VoiceSlot slot) {
    Waiting next = null;
    synchronized (waiting) {
      for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
        Waiting w = it.next();
        if (w.session.guildId() == slot.guildId() && w.giveUp.cancel()) {
          it.remove();
          next = w;
          break;
        }
      }
    }
    if (next != null) {
      Waiting start = next;
      tasks.spawn("start '" + start.session.name() + "' in a freed slot", () -> trigger(start.session, start.scheduledAt));
    }
  }
}
