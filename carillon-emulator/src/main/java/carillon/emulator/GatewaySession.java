package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One bot's gateway session: its sequence numbers and the events it was sent, kept so that a RESUME after
 * a dropped connection replays what the bot missed. The connection may come and go.
 */
final class GatewaySession {
  private static final int HISTORY = 10_000;

  final Model.Account bot;
  final String id;
  final int shardId;
  final int shardCount;
  /** The intents the bot identified with (all when it sent none). */
  final long intents;
  private final World world;
  private final Deque<ObjectNode> history = new ArrayDeque<>();
  private long sequence;
  private GatewayConnection connection;

  GatewaySession(World world, Model.Account bot, String id, int shardId, int shardCount, long intents) {
    this.intents = intents;
    this.world = world;
    this.bot = bot;
    this.id = id;
    this.shardId = shardId;
    this.shardCount = shardCount;
  }

  /** True if events of this guild go to this session's shard: {@code (guild_id >> 22) % shards}. */
  boolean owns(long guildId) {
    return (int) ((guildId >>> 22) % shardCount) == shardId;
  }

  /** True if the session identified with this intent bit, or with no intents at all (gateway v6 and older). */
  boolean hasIntent(long intent) {
    return intents == -1L || (intents & intent) != 0;
  }

  synchronized void attach(GatewayConnection connection) {
    this.connection = connection;
  }

  synchronized void detach(GatewayConnection gone) {
    if (connection == gone) {
      connection = null;
    }
  }

  synchronized GatewayConnection connection() {
    return connection;
  }

  /** Sends (or, while disconnected, only records) a dispatch event. */
  synchronized void dispatch(String type, JsonNode data) {
    ObjectNode event = world.json.createObjectNode();
    event.put("op", 0);
    event.put("t", type);
    event.put("s", ++sequence);
    event.set("d", data);
    history.addLast(event);
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
    if (connection != null) {
      connection.send(event);
    }
  }

  /** Replays the events after {@code lastSeen} on the new connection; false if they are no longer all kept. */
  synchronized boolean resume(GatewayConnection resumed, long lastSeen) {
    if (!history.isEmpty() && history.peekFirst().get("s").asLong() > lastSeen + 1) {
      return false;
    }
    connection = resumed;
    for (ObjectNode event : history) {
      if (event.get("s").asLong() > lastSeen) {
        resumed.send(event);
      }
    }
    return true;
  }

  synchronized long sequence() {
    return sequence;
  }
}
