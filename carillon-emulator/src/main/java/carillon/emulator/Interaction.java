package carillon.emulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A slash command a user ran, and what the bot answered: its reply (immediate, or after deferring, its
 * first follow-up or edit of the original), and any further follow-ups.
 *
 * <pre>{@code
 * Interaction run = alice.runSlashCommand(channelId, bot, "carillon", Map.of("action", "status"));
 * SentMessage reply = run.awaitReply(Duration.ofSeconds(10));
 * }</pre>
 */
public final class Interaction {
  final long id;
  final String token;
  final long channelId;
  final BotAccount bot;
  private final CompletableFuture<SentMessage> reply = new CompletableFuture<>();
  private final CompletableFuture<List<Choice>> choices = new CompletableFuture<>();

  /** One autocomplete suggestion: what the member sees, and the value the option gets if they pick it. */
  public record Choice(String name, String value) {}
  private final List<SentMessage> followups = new CopyOnWriteArrayList<>();
  private volatile boolean deferred;
  volatile boolean ephemeral;

  Interaction(long id, String token, long channelId, BotAccount bot) {
    this.id = id;
    this.token = token;
    this.channelId = channelId;
    this.bot = bot;
  }

  /** Completes with the bot's answer. */
  public CompletableFuture<SentMessage> reply() {
    return reply;
  }

  /** Waits up to {@code timeout} for the bot's answer. */
  public SentMessage awaitReply(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the interaction failed", e.getCause());
    }
  }

  /** Waits up to {@code timeout} for the bot's autocomplete suggestions (for {@link UserHandle#autocomplete}). */
  public List<Choice> awaitChoices(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      return choices.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the interaction failed", e.getCause());
    }
  }

  /** True if the bot deferred before answering. */
  public boolean deferred() {
    return deferred;
  }

  /** True if the answer was ephemeral (only the user sees it). */
  public boolean ephemeral() {
    return ephemeral;
  }

  /** Follow-up messages, the first of which is the reply when the bot deferred. */
  public List<SentMessage> followups() {
    return List.copyOf(followups);
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
