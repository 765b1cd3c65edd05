package carillon.bot.guild;

import carillon.bot.store.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The channel and role cache: what Carillon knows of each guild's channels and roles, so sessions can be
 * validated and the web page can offer them by name. Filled from Discord on ready, on guild join and on
 * channel changes.
 */
public final class GuildDirectory {
  private final Database db;

  public GuildDirectory(Database db) {
    this.db = db;
  }

  /** Replaces everything known of one guild in one transaction. */
  public void replaceGuild(long guildId, List<Channel> channels, List<Role> roles) {
    db.useTransaction(h -> {
      h.execute("DELETE FROM guild_channel WHERE guild_id = ?", guildId);
      h.execute("DELETE FROM guild_role WHERE guild_id = ?", guildId);
      var channelInsert = h.prepareBatch(
          "INSERT INTO guild_channel (guild_id, channel_id, name, kind) VALUES (:guild, :id, :name, :kind)");
      for (Channel c : channels) {
        channelInsert.bind("guild", guildId).bind("id", c.id()).bind("name", c.name()).bind("kind", c.kind().name()).add();
      }
      if (!channels.isEmpty()) {
        channelInsert.execute();
      }
      var roleInsert = h.prepareBatch("INSERT INTO guild_role (guild_id, role_id, name) VALUES (:guild, :id, :name)");
      for (Role r : roles) {
        roleInsert.bind("guild", guildId).bind("id", r.id()).bind("name", r.name()).add();
      }
      if (!roles.isEmpty()) {
        roleInsert.execute();
      }
    });
  }

  public Optional<Channel> channel(long guildId, long channelId) {
    return db.withHandle(h -> h.createQuery(
            "SELECT guild_id, channel_id, name, kind FROM guild_channel WHERE guild_id = ? AND channel_id = ?")
        .bind(0, guildId).bind(1, channelId)
        .map((rs, ctx) -> new Channel(rs.getLong(1), rs.getLong(2), rs.getString(3), Channel.Kind.valueOf(rs.getString(4))))
        .findOne());
  }

  public List<Channel> channels(long guildId) {
    return db.withHandle(h -> h.createQuery(
            "SELECT guild_id, channel_id, name, kind FROM guild_channel WHERE guild_id = ? ORDER BY name")
        .bind(0, guildId)
        .map((rs, ctx) -> new Channel(rs.getLong(1), rs.getLong(2), rs.getString(3), Channel.Kind.valueOf(rs.getString(4))))
        .list());
  }

  public Optional<Role> role(long guildId, long roleId) {
    return db.withHandle(h -> h.createQuery(
            "SELECT guild_id, role_id, name FROM guild_role WHERE guild_id = ? AND role_id = ?")
        .bind(0, guildId).bind(1, roleId)
        .map((rs, ctx) -> new Role(rs.getLong(1), rs.getLong(2), rs.getString(3)))
        .findOne());
  }

  public List<Role> roles(long guildId) {
    return db.withHandle(h -> h.createQuery("SELECT guild_id, role_id, name FROM guild_role WHERE guild_id = ? ORDER BY name")
        .bind(0, guildId)
        .map((rs, ctx) -> new Role(rs.getLong(1), rs.getLong(2), rs.getString(3)))
        .list());
  }

  /** Every guild Carillon knows channels or roles of, by id. */
  public List<Long> guildIds() {
    return db.withHandle(h -> h.createQuery(
            "SELECT guild_id FROM guild_channel UNION SELECT guild_id FROM guild_role ORDER BY guild_id")
        .mapTo(Long.class).list());
  }

  /** Records a guild's name (on ready, join and rename). */
  public void setName(long guildId, String name) {
    db.useHandle(h -> h.execute("INSERT INTO guild (guild_id, name) VALUES (?, ?) "
        + "ON CONFLICT (guild_id) DO UPDATE SET name = excluded.name", guildId, name));
  }

  /** Every known guild's name, by id. */
  public Map<Long, String> names() {
    return db.withHandle(h -> h.createQuery("SELECT guild_id, name FROM guild")
        .reduceRows(new HashMap<Long, String>(), (acc, row) -> {
          acc.put(row.getColumn("guild_id", Long.class), row.getColumn("name", String.class));
          return acc;
        }));
  }
}
