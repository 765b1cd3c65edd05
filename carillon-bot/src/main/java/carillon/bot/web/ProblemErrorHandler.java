package carillon.bot.web;

import carillon.bot.web.http.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches a route (a malformed URI, a bad header): the
 * same {@code application/problem+json} as every other error, never an HTML page.
 *
 * <p>While the server shuts down, Jetty fails the requests still on connections it is closing (an
 * {@code EofException}) and would answer them 500; they are answered as every other request then is:
 * 503 "shutting down" with {@code Retry-After}, so a client is told to come back rather than that the
 * server failed.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final ObjectMapper json;
  private final BooleanSupplier stopping;
  private final long retryAfterSeconds;

  ProblemErrorHandler(ObjectMapper json, BooleanSupplier stopping, long retryAfterSeconds) {
    this.json = json;
    this.stopping = stopping;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    if (stopping.getAsBoolean()) {
      Problem shuttingDown = Problem.shuttingDown(retryAfterSeconds);
      response.setStatus(shuttingDown.status());
      shuttingDown.headers().forEach(response.getHeaders()::put);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
      response.write(true, ByteBuffer.wrap(bytes(shuttingDown)), callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    // Jetty may not read the rest of such a request and then closes the connection: say so, so that
    // no client sends its next request on it.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  private byte[] body(int code, String message) {
    String reason = HttpStatus.getMessage(code);
    String detail = message == null || message.isBlank() ? reason : message;
    return bytes(new Problem(code, code < 500 ? "malformed-request" : "internal", reason,
        "the request could not be read: " + detail, List.of(), Map.of()));
  }

  private byte[] bytes(Problem problem) {
    try {
      return json.writeValueAsBytes(problem.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
