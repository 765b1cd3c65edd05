package carillon.bot.discord;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role of {@code commands.role} in each guild, by id. Configured as an id it is that role; configured as a
 * name it is resolved to the one role of exactly that name the first time a guild needs it, and kept: a role
 * made later with the same name (any member with Manage Roles can make one) gives nothing. While no role or more
 * than one has the name, no member has it (Manage Server still works), said once per guild in the log.
 */
final class CommandRole {
  private static final Logger log = LoggerFactory.getLogger(CommandRole.class);

  private final Optional<String> configured;
  private final Optional<Long> id;
  private final Map<Long, Long> resolved = new ConcurrentHashMap<>();
  private final Map<Long, String> warned = new ConcurrentHashMap<>();

  CommandRole(Optional<String> configured) {
    this.configured = configured.map(String::strip).filter(text -> !text.isEmpty());
    this.id = this.configured.filter(text -> text.matches("[0-9]{17,19}")).map(Long::parseLong);
  }

  /** Whether a role is configured at all. */
  boolean configured() {
    return configured.isPresent();
  }

  /** Whether the member has the configured role. */
  boolean heldBy(Member member) {
    Optional<Long> role = roleOf(member.getGuild());
    return role.isPresent() && member.getRoles().stream().anyMatch(r -> r.getIdLong() == role.get());
  }

  private Optional<Long> roleOf(Guild guild) {
    if (configured.isEmpty() || id.isPresent()) {
      return id;
    }
    Long known = resolved.get(guild.getIdLong());
    if (known != null) {
      return Optional.of(known);
    }
    List<Role> named = guild.getRolesByName(configured.get(), false);
    if (named.size() != 1) {
      String why = named.isEmpty() ? "no role" : named.size() + " roles";
      if (!why.equals(warned.put(guild.getIdLong(), why))) {
        log.warn("commands.role '{}' names {} in guild {}; only Manage Server may use /carillon there. Set commands.role"
            + " to the role's id", configured.get(), why, guild.getIdLong());
      }
      return Optional.empty();
    }
    long role = named.getFirst().getIdLong();
    Long first = resolved.putIfAbsent(guild.getIdLong(), role);
    return Optional.of(first == null ? role : first);
  }
}
