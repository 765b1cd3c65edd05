package carillon.bot.config;

/** How Carillon writes its log to standard output ({@code log.format}). */
public enum LogFormat {
  /** One line a person reads: time, level, logger, message. */
  TEXT,
  /**
   * One JSON object per line, by Logback's own {@code JsonEncoder}, for log collectors (Loki, Elasticsearch,
   * journald's JSON export): level, logger, thread, time, message and any stack trace as fields.
   */
  JSON
}
