package carillon.bot.session;

import java.util.List;

/**
 * What a name a person typed names among a guild's sessions ({@link Sessions#named}): one session, none, or
 * several (then the candidates, by name, for the person to choose from).
 */
public sealed interface NameMatch {
  record One(Session session) implements NameMatch {}

  record None() implements NameMatch {}

  record Several(List<Session> candidates) implements NameMatch {
    public Several {
      candidates = List.copyOf(candidates);
    }
  }
}
