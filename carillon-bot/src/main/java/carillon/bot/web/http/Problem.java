package carillon.bot.web.http;

import carillon.bot.session.FieldError;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An error answered as {@code application/problem+json} (RFC 9457): a status, a type, a title, a detail
 * a person reads and, for input errors, every problem by field. Thrown by handlers, written by
 * the web server; it carries no stack trace because it is an answer, not a bug.
 */
public final class Problem extends RuntimeException {
  private static final String TYPE_PREFIX = "urn:carillon:problem:";

  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  /**
   * @param type the last part of the type URN ({@code urn:carillon:problem:<type>})
   * @param errors every problem by field; empty when the problem is not about input
   * @param headers headers the answer carries (WWW-Authenticate, Retry-After)
   */
  public Problem(int status, String type, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = TYPE_PREFIX + type;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** A short summary that is the same for every problem of this type. */
  public String title() {
    return title;
  }

  /** What a person reads: what was wrong and what to do. */
  public String detail() {
    return getMessage();
  }

  /** Every problem by field; empty when the problem is not about input. */
  public List<FieldError> errors() {
    return errors;
  }

  /** Headers the answer carries. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Input that is well-formed but wrong: every problem, by field. */
  public static Problem invalid(List<FieldError> errors) {
    String detail = errors.size() == 1 ? errors.getFirst().toString() : errors.size() + " fields are invalid: "
        + String.join("; ", errors.stream().map(FieldError::toString).toList());
    return new Problem(422, "invalid-input", "The input is invalid", detail, errors, Map.of());
  }

  public static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  /** A request that cannot be read at all: malformed JSON, a path id that is not a number. */
  public static Problem malformed(String field, String message) {
    return new Problem(400, "malformed-request", "The request is malformed", field + ": " + message,
        List.of(new FieldError(field, message)), Map.of());
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not found", detail, List.of(), Map.of());
  }

  public static Problem unauthenticated(String detail) {
    return new Problem(401, "unauthenticated", "Authentication is required", detail, List.of(),
        Map.of("WWW-Authenticate", "Bearer realm=\"carillon\""));
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Not allowed", detail, List.of(), Map.of());
  }

  /** A conflict with what is stored, field by field, as {@link #invalid(List)} names invalid ones. */
  public static Problem conflict(List<FieldError> errors) {
    String detail = String.join("; ", errors.stream().map(FieldError::toString).toList());
    return new Problem(409, "conflict", "Conflict", detail, errors, Map.of());
  }

  public static Problem conflict(String field, String detail) {
    return new Problem(409, "conflict", "Conflict", detail, List.of(new FieldError(field, detail)), Map.of());
  }

  public static Problem tooLarge(String field, String detail) {
    return new Problem(413, "too-large", "Content too large", detail, List.of(new FieldError(field, detail)), Map.of());
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type", detail,
        List.of(new FieldError("Content-Type", detail)), Map.of());
  }

  public static Problem rateLimited(String detail, long retryAfterSeconds) {
    return new Problem(429, "rate-limited", "Too many attempts", detail, List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /** Seconds a client waits before it tries again while the store is unavailable. */
  public static final int STORE_RETRY_AFTER_SECONDS = 5;

  /**
   * Carillon's store cannot take work now (its disk is full, its PostgreSQL server is unreachable): 503
   * with {@code Retry-After}. Nothing of the request was kept; what was accepted before is not lost.
   */
  public static Problem storeUnavailable(String detail) {
    return new Problem(503, "store-unavailable", "The store is unavailable", detail, List.of(),
        Map.of("Retry-After", Integer.toString(STORE_RETRY_AFTER_SECONDS)));
  }

  /** Carillon is shutting down: the client may try again once it is back ({@code Retry-After} in seconds). */
  public static Problem shuttingDown(long retryAfterSeconds) {
    return new Problem(503, "shutting-down", "Shutting down",
        "Carillon is shutting down; try again when it is back", List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds), "Connection", "close"));
  }

  public static Problem unavailable(String detail) {
    return new Problem(503, "unavailable", "Unavailable", detail, List.of(), Map.of());
  }

  /**
   * The JSON body (RFC 9457).
   *
   * @param type a URN, {@code urn:carillon:problem:<type>}
   * @param errors every problem by field; left out when the problem is not about input
   */
  public record Body(String type, String title, int status, String detail,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldError> errors) {}

  /** The JSON body. */
  public Body body() {
    return new Body(type, title, status, detail(), errors);
  }
}
