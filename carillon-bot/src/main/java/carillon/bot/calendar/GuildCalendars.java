package carillon.bot.calendar;

import carillon.bot.config.Setting;
import carillon.bot.schedule.SkipDates;
import carillon.bot.session.FieldError;
import carillon.bot.store.Database;
import carillon.tasks.DateRange;
import carillon.tasks.Schedule;
import carillon.tasks.TimeSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each guild's calendar: its time zone, its language, the dates all its sessions skip, and the secret of
 * its ICS feed. A guild that chose no zone or language has the process-wide ones ({@code timeZone},
 * {@code language} in the configuration).
 *
 * <p>Schedules carry their own zone in their text ({@code weekly MON 07:00 Europe/Paris}), so a guild's
 * zone changes how times are shown (pages, previews, the ICS feed), never when a session plays.
 *
 * <p>The feed secret is 32 random bytes (base64url, 43 characters); only its SHA-256 is stored, so a copy
 * of the store does not give the feed away. Making a new one revokes the old one.
 */
public final class GuildCalendars implements SkipDates {
  private static final Logger log = LoggerFactory.getLogger(GuildCalendars.class);
  /** At most this many skip entries per guild. */
  public static final int MAX_SKIPS = 100;
  /** At most this many characters in a skip entry's label. */
  public static final int MAX_LABEL = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final ZoneId defaultZone;
  private final Locale defaultLanguage;
  private final TimeSource time;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param defaultZone the zone of guilds that chose none (configuration {@code timeZone})
   * @param defaultLanguage the language of guilds that chose none (configuration {@code language})
   */
  public GuildCalendars(Database db, ZoneId defaultZone, Locale defaultLanguage, TimeSource time) {
    this.db = db;
    this.defaultZone = defaultZone;
    this.defaultLanguage = defaultLanguage;
    this.time = time;
  }

  /** The zone of guilds that chose none. */
  public ZoneId defaultZone() {
    return defaultZone;
  }

  /** The language of guilds that chose none. */
  public Locale defaultLanguage() {
    return defaultLanguage;
  }

  /** What a guild's admins submit: null or blank zone or language means "the default". */
  public record Change(String timeZone, String language, List<SkipEntry> skips) {}

  /**
   * One skip entry as submitted.
   *
   * @param dates {@code YYYY-MM-DD} or {@code YYYY-MM-DD..YYYY-MM-DD}
   * @param label what it is ("summer break"); may be null or empty
   */
  public record SkipEntry(String dates, String label) {}

  /** The guild's settings, with the defaults where it chose none. */
  public GuildSettings settings(long guildId) {
    return db.withHandle(h -> {
      Optional<Row> row = h.createQuery("SELECT time_zone, language, feed_token_hash FROM guild_settings WHERE guild_id = ?")
          .bind(0, guildId).map((rs, ctx) -> new Row(rs.getString("time_zone"), rs.getString("language"),
              rs.getString("feed_token_hash") != null)).findOne();
      Optional<ZoneId> zone = row.map(Row::zone).filter(z -> z != null).map(ZoneId::of);
      Optional<Locale> language = row.map(Row::language).filter(l -> l != null).map(Locale::forLanguageTag);
      return new GuildSettings(guildId, zone, language, zone.orElse(defaultZone), language.orElse(defaultLanguage),
          skips(h, guildId), row.map(Row::feed).orElse(false));
    });
  }

  private record Row(String zone, String language, boolean feed) {}

  /** The zone the guild's times are shown in. */
  public ZoneId zone(long guildId) {
    return settings(guildId).zone();
  }

  /** The language the guild chose, if it chose one. */
  public Optional<Locale> ownLanguage(long guildId) {
    return settings(guildId).ownLanguage();
  }

  /** The language of the guild: its own, or the default. */
  public Locale language(long guildId) {
    return settings(guildId).language();
  }

  @Override
  public List<DateRange> of(long guildId) {
    return db.withHandle(h -> skips(h, guildId));
  }

  private static List<DateRange> skips(Handle h, long guildId) {
    return h.createQuery("SELECT first_date, last_date, label FROM guild_skip WHERE guild_id = ? ORDER BY position")
        .bind(0, guildId).map((rs, ctx) -> new DateRange(LocalDate.parse(rs.getString("first_date")),
            LocalDate.parse(rs.getString("last_date")), rs.getString("label"))).list();
  }

  @Override
  public void onChange(LongConsumer guildChanged) {
    listeners.add(guildChanged);
  }

  /**
   * Every problem with a change, each naming its field ({@code timeZone}, {@code language},
   * {@code skips[i].dates}, {@code skips[i].label}); empty when it is valid.
   */
  public List<FieldError> problems(Change change) {
    List<FieldError> errors = new ArrayList<>();
    read(change, errors);
    return errors;
  }

  /**
   * Replaces a guild's settings (all of them: zone, language and the whole skip list), or refuses with
   * every problem at once and stores nothing.
   */
  public GuildSettings update(long guildId, Change change) throws InvalidSettingsException {
    List<FieldError> errors = new ArrayList<>();
    Valid valid = read(change, errors);
    if (!errors.isEmpty()) {
      throw new InvalidSettingsException(errors);
    }
    db.useTransaction(h -> {
      ensureRow(h, guildId);
      h.execute("UPDATE guild_settings SET time_zone = ?, language = ?, updated_at = ? WHERE guild_id = ?",
          valid.zone().map(ZoneId::getId).orElse(null), valid.language().map(Locale::toLanguageTag).orElse(null),
          time.now().toEpochMilli(), guildId);
      h.execute("DELETE FROM guild_skip WHERE guild_id = ?", guildId);
      for (int i = 0; i < valid.skips().size(); i++) {
        DateRange r = valid.skips().get(i);
        h.execute("INSERT INTO guild_skip (guild_id, position, first_date, last_date, label) VALUES (?, ?, ?, ?, ?)",
            guildId, i, r.first().toString(), r.last().toString(), r.label());
      }
    });
    log.info("Guild {} calendar settings changed: zone {}, language {}, {} skipped dates or ranges", guildId,
        valid.zone().map(ZoneId::getId).orElse("default"), valid.language().map(Locale::toLanguageTag).orElse("default"),
        valid.skips().size());
    listeners.forEach(l -> l.accept(guildId));
    return settings(guildId);
  }

  private record Valid(Optional<ZoneId> zone, Optional<Locale> language, List<DateRange> skips) {}

  private static Valid read(Change change, List<FieldError> errors) {
    Optional<ZoneId> zone = Optional.empty();
    if (change.timeZone() != null && !change.timeZone().isBlank()) {
      try {
        zone = Optional.of(Schedule.zone(change.timeZone().strip()));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("timeZone", e.getMessage()));
      }
    }
    Optional<Locale> language = Optional.empty();
    if (change.language() != null && !change.language().isBlank()) {
      String tag = change.language().strip().toLowerCase(Locale.ROOT);
      if (Setting.LANGUAGES.contains(tag)) {
        language = Optional.of(Locale.forLanguageTag(tag));
      } else {
        errors.add(new FieldError("language", "'" + shorten(change.language()) + "' has no texts; the languages are "
            + String.join(", ", Setting.LANGUAGES.stream().sorted().toList()) + " (or empty for the default)"));
      }
    }
    List<SkipEntry> entries = change.skips() == null ? List.of() : change.skips();
    if (entries.size() > MAX_SKIPS) {
      errors.add(new FieldError("skips", "has " + entries.size() + " entries; at most " + MAX_SKIPS + " are allowed"));
    }
    List<DateRange> skips = new ArrayList<>();
    for (int i = 0; i < entries.size() && i < MAX_SKIPS; i++) {
      SkipEntry entry = entries.get(i);
      String label = entry == null || entry.label() == null ? "" : entry.label().strip();
      if (label.length() > MAX_LABEL) {
        errors.add(new FieldError("skips[" + i + "].label", "is " + label.length() + " characters long; at most "
            + MAX_LABEL + " are allowed"));
      } else if (label.chars().anyMatch(Character::isISOControl)) {
        errors.add(new FieldError("skips[" + i + "].label", "contains a control character (a line break or tab);"
            + " use one line of text such as 'summer break'"));
      }
      if (entry == null || entry.dates() == null || entry.dates().isBlank()) {
        errors.add(new FieldError("skips[" + i + "].dates", "is required: YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD,"
            + " e.g. 2026-12-25 or 2026-07-01..2026-08-31"));
        continue;
      }
      try {
        skips.add(DateRange.parse(entry.dates()).withLabel(label));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("skips[" + i + "].dates", e.getMessage()));
      }
    }
    return new Valid(zone, language, skips);
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private void ensureRow(Handle h, long guildId) {
    if (h.createQuery("SELECT count(*) FROM guild_settings WHERE guild_id = ?").bind(0, guildId)
        .mapTo(Integer.class).one() == 0) {
      h.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?)", guildId, time.now().toEpochMilli());
    }
  }

  // ---- the ICS feed's secret

  /**
   * Makes a new feed secret for the guild, revoking the one it had: the only time the secret is known.
   *
   * @return the secret, 43 base64url characters, for the feed's URL
   */
  public String rotateFeed(long guildId) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    db.useTransaction(h -> {
      ensureRow(h, guildId);
      h.execute("UPDATE guild_settings SET feed_token_hash = ?, updated_at = ? WHERE guild_id = ?", hash(token),
          time.now().toEpochMilli(), guildId);
    });
    log.info("Guild {} has a new ICS feed URL; the previous one, if any, no longer works", guildId);
    return token;
  }

  /** Revokes the guild's feed; false if it had none. */
  public boolean revokeFeed(long guildId) {
    int rows = db.withHandle(h -> h.execute(
        "UPDATE guild_settings SET feed_token_hash = NULL, updated_at = ? WHERE guild_id = ? AND feed_token_hash IS NOT NULL",
        time.now().toEpochMilli(), guildId));
    if (rows > 0) {
      log.info("Guild {} ICS feed revoked", guildId);
    }
    return rows > 0;
  }

  /** The guild whose feed this secret opens, if any. */
  public Optional<Long> guildOfFeed(String token) {
    if (token == null || token.length() != 43) {
      return Optional.empty();
    }
    return db.withHandle(h -> h.createQuery("SELECT guild_id FROM guild_settings WHERE feed_token_hash = ?")
        .bind(0, hash(token)).mapTo(Long.class).findOne());
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
