package carillon.bot.web.http;

/**
 * Names people give things (sessions, audio files, tokens) are shown on the page and in Discord. Angle
 * brackets are refused: in Discord they make mentions ({@code <@&role>}), and on a page they are markup.
 */
public final class Names {
  public static final String MARKUP_MESSAGE = "must not contain '<' or '>'";

  private Names() {}

  public static boolean hasMarkup(String name) {
    return name.indexOf('<') >= 0 || name.indexOf('>') >= 0;
  }
}
