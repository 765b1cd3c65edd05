package carillon.bot.web.http;

import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.Slots;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import io.javalin.http.Context;
import java.util.List;

/**
 * Which guilds, and so which sessions, a principal may see: the one place that answers it. An admin of
 * every guild sees every guild Carillon knows; any other principal sees the guilds it was given.
 */
public final class GuildAccess {
  private final Slots slots;
  private final GuildDirectory directory;
  private final Sessions sessions;

  public GuildAccess(Slots slots, GuildDirectory directory, Sessions sessions) {
    this.slots = slots;
    this.directory = directory;
    this.sessions = sessions;
  }

  /** The guilds the principal may see, in id order: every known guild for an admin of every guild. */
  public List<Long> visibleGuilds(Principal principal) {
    return principal.allGuilds() ? directory.guildIds() : principal.guilds().stream().sorted().toList();
  }

  /** The guild named in the path: one the principal may see (403 otherwise) and Carillon knows (404 otherwise). */
  public long guild(Context ctx) {
    long guild = Requests.pathId(ctx, "guild");
    if (!Requests.principal(ctx).sees(guild)) {
      throw Problem.forbidden("you have no access to guild " + guild);
    }
    // A bot account in the guild answers from memory; the cache is asked only when none is.
    if (slots.accounts(guild).isEmpty() && directory.channels(guild).isEmpty() && directory.roles(guild).isEmpty()) {
      throw Problem.notFound("Carillon knows no guild " + guild + ": no bot account is in it");
    }
    return guild;
  }

  /** The session in the path, if the principal sees its guild; 404 otherwise, so ids of other guilds do not leak. */
  public Session session(Context ctx) {
    long id = Requests.pathId(ctx, "session");
    return sessions.find(id).filter(s -> Requests.principal(ctx).sees(s.guildId()))
        .orElseThrow(() -> Problem.notFound("there is no session with id " + id));
  }

  /**
   * The id of the session in the path, if the principal sees its guild (404 otherwise): one small
   * query, for routes that need no more of the session (commands).
   */
  public long sessionId(Context ctx) {
    long id = Requests.pathId(ctx, "session");
    sessions.guildOf(id).filter(Requests.principal(ctx)::sees)
        .orElseThrow(() -> Problem.notFound("there is no session with id " + id));
    return id;
  }
}
