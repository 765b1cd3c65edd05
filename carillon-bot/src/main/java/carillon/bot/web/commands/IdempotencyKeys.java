package carillon.bot.web.commands;

import carillon.bot.queue.KeyReusedException;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} of POST commands (the API's header, the page forms' hidden field): up to
 * {@link #MAX_LENGTH} printable ASCII characters chosen by the client, scoped here to who sent it so that
 * two clients' keys never meet. Kept for {@link carillon.bot.queue.CommandQueue#KEY_KEPT}.
 */
final class IdempotencyKeys {
  static final String HEADER = "Idempotency-Key";
  static final String FORM_FIELD = "idempotencyKey";
  /** Set to {@code true} on an answer that is the first request's command, not a new one. */
  static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_LENGTH = 255;

  private IdempotencyKeys() {}

  /**
   * The key as stored ({@code user:ID:KEY} or {@code token:ID:KEY}), or empty when none was sent.
   *
   * @throws Problem 422 naming {@code field} when the key is empty, too long or not printable ASCII
   */
  static Optional<String> scoped(String key, Principal principal, String field) {
    if (key == null) {
      return Optional.empty();
    }
    if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw Problem.invalid(field, "must be 1 to " + MAX_LENGTH + " printable ASCII characters (a UUID, say); was "
          + (key.isEmpty() ? "empty" : key.length() > MAX_LENGTH ? key.length() + " characters" : "not printable ASCII"));
    }
    String scope = switch (principal.kind()) {
      case USER -> "user:" + principal.accountId();
      case DISCORD -> "discord:" + principal.accountId();
      case TOKEN -> "token:" + principal.tokenId();
    };
    return Optional.of(scope + ":" + key);
  }

  /** 422: the key made another command; a new command needs a new key. */
  static Problem reused(String field, KeyReusedException e) {
    return Problem.invalid(field, "was already used for command " + e.first().id() + " (" + e.first().kind()
        + " of session " + e.first().sessionId() + "); a different command needs a new key");
  }
}
