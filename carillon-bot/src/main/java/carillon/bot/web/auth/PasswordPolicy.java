package carillon.bot.web.auth;

import carillon.bot.session.FieldError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an admin password must be: {@value #MIN} to {@value #MAX} characters, not the account's name, not one
 * character repeated, not a common password. Length over composition rules, and a list of breached passwords,
 * as NIST SP 800-63B (5.1.1.2) advises. The list is {@code common-passwords.txt} beside this class (its header
 * says where it comes from).
 */
final class PasswordPolicy {
  static final int MIN = 12;
  static final int MAX = 1024;
  private static final Set<String> COMMON = load();

  private PasswordPolicy() {}

  /** Adds to {@code errors} what is wrong with {@code password} for the account {@code name}, under {@code field}. */
  static void check(String field, String password, String name, List<FieldError> errors) {
    if (password == null || password.length() < MIN || password.length() > MAX) {
      errors.add(new FieldError(field, "must be " + MIN + " to " + MAX + " characters"
          + (password == null ? "" : ", was " + password.length())));
      return;
    }
    String lower = password.strip().toLowerCase(Locale.ROOT);
    if (name != null && !name.isBlank() && lower.contains(name.strip().toLowerCase(Locale.ROOT))) {
      errors.add(new FieldError(field, "must not contain the account's name"));
    } else if (password.codePoints().distinct().count() == 1) {
      errors.add(new FieldError(field, "must not be one character repeated"));
    } else if (COMMON.contains(lower)) {
      errors.add(new FieldError(field, "is one of the most common passwords; choose another"));
    }
  }

  private static Set<String> load() {
    Set<String> common = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("missing resource carillon/bot/web/auth/common-passwords.txt");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          common.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(common);
  }
}
