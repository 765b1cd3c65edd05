package carillon.bot.config;

import java.util.List;

/** The configuration is not usable; each problem names the key (or variable) and says what is allowed. */
public final class ConfigException extends Exception {
  private final List<String> problems;

  ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
