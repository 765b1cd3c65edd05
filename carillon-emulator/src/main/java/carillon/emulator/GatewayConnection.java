package carillon.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/** One WebSocket connection to the gateway, plain JSON or zlib-stream (one deflate stream per connection). */
final class GatewayConnection {
  final WsContext ctx;
  private final Deflater deflater;
  private final World world;
  volatile GatewaySession session;

  GatewayConnection(World world, WsContext ctx, boolean zlib) {
    this.world = world;
    this.ctx = ctx;
    this.deflater = zlib ? new Deflater() : null;
  }

  synchronized void send(JsonNode payload) {
    String text;
    try {
      text = world.json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a gateway payload", e);
    }
    if (!ctx.session.isOpen()) {
      return;
    }
    if (deflater == null) {
      ctx.send(text);
      return;
    }
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    deflater.setInput(input);
    byte[] buffer = new byte[input.length + 64];
    int length = 0;
    while (true) {
      // SYNC_FLUSH ends every message with 00 00 FF FF, which is how clients find message boundaries.
      int written = deflater.deflate(buffer, length, buffer.length - length, Deflater.SYNC_FLUSH);
      length += written;
      if (length < buffer.length) {
        break;
      }
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    ctx.send(ByteBuffer.wrap(buffer, 0, length));
  }

  /** True once the emulator closed this connection (a fault, a refusal, its own stop), not the client. */
  volatile boolean closedByServer;

  void close(int code, String reason) {
    closedByServer = true;
    ctx.closeSession(code, reason);
  }
}
