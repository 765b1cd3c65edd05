package carillon.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A slash command a user ran, or an option they typed into, and what the bot answered: its reply
 * (immediate, or after deferring, its first follow-up or edit of the original), any further follow-ups, or
 * for autocomplete the choices it offered.
 *
 * <pre>{@code
 * Interaction run = alice.runSlashCommand(channelId, bot, "carillon play", Map.of("session", "Morning"));
 * SentMessage reply = run.awaitReply(Duration.ofSeconds(10));
 * assertThat(run.ephemeral()).isTrue();
 *
 * List<Interaction.Choice> offered = alice.autocomplete(channelId, bot, "carillon play", "session", "Mor", Map.of())
 *     .awaitChoices(Duration.ofSeconds(10));
 * }</pre>
 */
public final class Interaction {
  /** Discord's interaction types the emulator sends. */
  static final int APPLICATION_COMMAND = 2;
  static final int APPLICATION_COMMAND_AUTOCOMPLETE = 4;

  final long id;
  final String token;
  final long channelId;
  final BotAccount bot;
  final int type;
  /** When Discord created it (the emulator's clock): the deadline and the token's lifetime count from here. */
  final Instant createdAt;
  private final Clock clock;
  private final Duration deadline;
  private final CompletableFuture<SentMessage> reply = new CompletableFuture<>();
  private final CompletableFuture<List<Choice>> choices = new CompletableFuture<>();
  private final List<SentMessage> followups = new CopyOnWriteArrayList<>();
  private boolean acknowledged;
  private volatile boolean deferred;
  private volatile boolean ephemeral;

  /**
   * One autocomplete suggestion: what the member sees, and the value the option gets if they pick it (as
   * text: {@code "42"} for an integer option).
   */
  public record Choice(String name, String value) {}

  /** How long an interaction token stays valid for follow-ups and edits (Discord: 15 minutes). */
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

  Interaction(long id, String token, long channelId, BotAccount bot, int type, Clock clock, Duration deadline) {
    this.clock = clock;
    this.deadline = deadline;
    this.createdAt = clock.instant();
    this.id = id;
    this.token = token;
    this.channelId = channelId;
    this.bot = bot;
    this.type = type;
  }

  /** Completes with the bot's answer. */
  public CompletableFuture<SentMessage> reply() {
    return reply;
  }

  /** Waits up to {@code timeout} for the bot's answer. */
  public SentMessage awaitReply(Duration timeout) throws InterruptedException, TimeoutException {
    return await(reply, timeout);
  }

  /** Completes with the bot's autocomplete suggestions (for {@link UserHandle#autocomplete}). */
  public CompletableFuture<List<Choice>> choices() {
    return choices;
  }

  /** Waits up to {@code timeout} for the bot's autocomplete suggestions (for {@link UserHandle#autocomplete}). */
  public List<Choice> awaitChoices(Duration timeout) throws InterruptedException, TimeoutException {
    return await(choices, timeout);
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the interaction failed", e.getCause());
    }
  }

  /** True if the bot deferred before answering. */
  public boolean deferred() {
    return deferred;
  }

  /**
   * True if the answer was ephemeral (only the user sees it): such answers are not in
   * {@link DiscordEmulator#messages} and other bots do not receive them.
   */
  public boolean ephemeral() {
    return ephemeral;
  }

  /** Follow-up messages, the first of which is the reply when the bot deferred. */
  public List<SentMessage> followups() {
    return List.copyOf(followups);
  }

  /**
   * True if the bot did not acknowledge it (reply, defer or choices) within the deadline (Discord: 3
   * seconds; {@code DiscordEmulator.Builder#interactionDeadline}), by the emulator's clock: the member sees
   * "The application did not respond" and a late callback gets {@code 10062 Unknown interaction}.
   */
  public boolean expired() {
    return expired(clock.instant());
  }

  synchronized boolean expired(Instant now) {
    return !acknowledged && now.isAfter(createdAt.plus(deadline));
  }

  /** True once the token is older than 15 minutes: follow-ups and edits get {@code 50027 Invalid Webhook Token}. */
  boolean tokenExpired(Instant now) {
    return now.isAfter(createdAt.plus(TOKEN_LIFETIME));
  }

  boolean autocomplete() {
    return type == APPLICATION_COMMAND_AUTOCOMPLETE;
  }

  /** The initial response; false if there already was one (Discord answers 40060). */
  synchronized boolean acknowledge(boolean ephemeralResponse) {
    if (acknowledged) {
      return false;
    }
    acknowledged = true;
    ephemeral = ephemeralResponse;
    return true;
  }

  synchronized boolean acknowledged() {
    return acknowledged;
  }

  /** Whether a follow-up is ephemeral: the first one after a defer takes the place of the loading message. */
  boolean followupEphemeral(boolean flagged) {
    return deferred && !reply.isDone() ? ephemeral : flagged;
  }

  void suggested(List<Choice> offered) {
    choices.complete(List.copyOf(offered));
  }

  void markDeferred() {
    deferred = true;
  }

  void answered(SentMessage message) {
    reply.complete(message);
  }

  void followedUp(SentMessage message) {
    followups.add(message);
    reply.complete(message);
  }
}
