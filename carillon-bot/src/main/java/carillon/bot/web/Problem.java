package carillon.bot.web;

import carillon.bot.session.FieldError;
import java.util.List;
import java.util.Map;

/**
 * An error answered as {@code application/problem+json} (RFC 9457): a status, a type, a title, a detail
 * a person reads and, for input errors, every problem by field. Thrown by handlers, written by
 * {@link WebServer}; it carries no stack trace because it is an answer, not a bug.
 */
final class Problem extends RuntimeException {
  static final String TYPE_PREFIX = "urn:carillon:problem:";

  final int status;
  final String type;
  final String title;
  final List<FieldError> errors;
  final Map<String, String> headers;

  Problem(int status, String type, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = TYPE_PREFIX + type;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  String detail() {
    return getMessage();
  }

  /** Input that is well-formed but wrong: every problem, by field. */
  static Problem invalid(List<FieldError> errors) {
    String detail = errors.size() == 1 ? errors.getFirst().toString() : errors.size() + " fields are invalid: "
        + String.join("; ", errors.stream().map(FieldError::toString).toList());
    return new Problem(422, "invalid-input", "The input is invalid", detail, errors, Map.of());
  }

  static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  /** A request that cannot be read at all: malformed JSON, a path id that is not a number. */
  static Problem malformed(String field, String message) {
    return new Problem(400, "malformed-request", "The request is malformed", field + ": " + message,
        List.of(new FieldError(field, message)), Map.of());
  }

  static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not found", detail, List.of(), Map.of());
  }

  static Problem unauthenticated(String detail) {
    return new Problem(401, "unauthenticated", "Authentication is required", detail, List.of(),
        Map.of("WWW-Authenticate", "Bearer realm=\"carillon\""));
  }

  static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Not allowed", detail, List.of(), Map.of());
  }

  static Problem csrf(String detail) {
    return new Problem(403, "csrf", "CSRF token missing or wrong", detail,
        List.of(new FieldError(Auth.CSRF_HEADER, detail)), Map.of());
  }

  static Problem conflict(String field, String detail) {
    return new Problem(409, "conflict", "Conflict", detail, List.of(new FieldError(field, detail)), Map.of());
  }

  static Problem tooLarge(String field, String detail) {
    return new Problem(413, "too-large", "Content too large", detail, List.of(new FieldError(field, detail)), Map.of());
  }

  static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type", detail,
        List.of(new FieldError("Content-Type", detail)), Map.of());
  }

  static Problem rateLimited(String detail, long retryAfterSeconds) {
    return new Problem(429, "rate-limited", "Too many attempts", detail, List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  static Problem unavailable(String detail) {
    return new Problem(503, "unavailable", "Unavailable", detail, List.of(), Map.of());
  }

  /** The JSON body. */
  Map<String, Object> body() {
    var body = new java.util.LinkedHashMap<String, Object>();
    body.put("type", type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail());
    if (!errors.isEmpty()) {
      body.put("errors", errors.stream().map(e -> Json.object("field", e.field(), "message", e.message())).toList());
    }
    return body;
  }
}
