-- Per-guild calendar settings (issue 14): a time zone and a language (null: the process-wide default),
-- the hash of the guild's ICS feed secret (null: no feed), and the dates every session of the guild skips.
CREATE TABLE guild_settings (
  guild_id         INTEGER PRIMARY KEY,
  time_zone        TEXT,
  language         TEXT,
  feed_token_hash  TEXT UNIQUE,
  updated_at       INTEGER NOT NULL
);

-- One skipped date or range of dates (both ends included, local dates in the session's zone), in the
-- order the guild's admins listed them.
CREATE TABLE guild_skip (
  guild_id    INTEGER NOT NULL,
  position    INTEGER NOT NULL,
  first_date  TEXT    NOT NULL,
  last_date   TEXT    NOT NULL,
  label       TEXT    NOT NULL,
  PRIMARY KEY (guild_id, position)
);
