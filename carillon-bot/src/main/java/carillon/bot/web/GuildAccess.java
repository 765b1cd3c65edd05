package carillon.bot.web;

import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.Slots;
import io.javalin.http.Context;

/** The guild named in a path: one the principal may see (403 otherwise) and Carillon knows (404 otherwise). */
final class GuildAccess {
  private final Slots slots;
  private final GuildDirectory directory;

  GuildAccess(Slots slots, GuildDirectory directory) {
    this.slots = slots;
    this.directory = directory;
  }

  long guild(Context ctx) {
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
}
