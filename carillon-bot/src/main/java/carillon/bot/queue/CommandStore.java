package carillon.bot.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/** Where the queue keeps its commands: the {@code command} table ({@link SqlCommandStore}). */
interface CommandStore {
  /** Stores a PENDING command; returns its id. */
  long insert(CommandRequest request, String requestedBy, Instant requestedAt);

  /**
   * Marks a PENDING command RUNNING, as one compare-and-set: true for the one caller that moved it from
   * PENDING, false when it was not PENDING any more (another process of a cluster claimed it first, or it
   * ended). Only the caller that got true carries the command out.
   */
  boolean claim(long id);

  /** Sets a command's status, result and finish (both null until it is final). */
  void setStatus(long id, CommandStatus status, String result, Instant finishedAt);

  /** What {@link #insertOnce} found: the command an earlier request with the key stored, or the new command's id. */
  record Keyed(long insertedId, Optional<CommandRecord> earlier) {}

  /**
   * Stores a PENDING command with {@code key} unless a command with that key is stored; keys of commands
   * requested before {@code forgetBefore} are forgotten first.
   */
  Keyed insertOnce(CommandRequest request, String requestedBy, Instant requestedAt, String key, Instant forgetBefore);

  /**
   * Marks every RUNNING command of the guilds {@code inGuild} accepts FAILED with {@code result}, except those
   * with an id in {@code applyingHere}; returns how many.
   */
  int failRunning(Instant at, String result, LongPredicate inGuild, Set<Long> applyingHere);

  /** The PENDING commands of the guilds {@code inGuild} accepts, oldest first. */
  List<CommandRecord> pending(LongPredicate inGuild);

  Optional<CommandRecord> find(long id);

  /** The newest commands first. */
  List<CommandRecord> recent(int limit);

  /** The commands of a guild's sessions, newest first: at most {@code limit}, with ids below {@code beforeId}. */
  List<CommandRecord> inGuild(long guildId, int limit, long beforeId);
}
