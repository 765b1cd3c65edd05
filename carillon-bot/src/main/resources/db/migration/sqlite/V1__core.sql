-- Carillon's core schema. Instants are epoch milliseconds (INTEGER here, BIGINT on PostgreSQL);
-- ids of Discord objects are their snowflakes.

-- The channel and role cache: what the web page offers by name. Filled from Discord.
CREATE TABLE guild_channel (
  guild_id    INTEGER NOT NULL,
  channel_id  INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('TEXT', 'VOICE')),
  PRIMARY KEY (guild_id, channel_id)
);

CREATE TABLE guild_role (
  guild_id  INTEGER NOT NULL,
  role_id   INTEGER NOT NULL,
  name      TEXT    NOT NULL,
  PRIMARY KEY (guild_id, role_id)
);

-- Audio files, stored by content hash under the data directory.
CREATE TABLE audio_item (
  id           TEXT    PRIMARY KEY,            -- hex SHA-256 of the content
  name         TEXT    NOT NULL,
  format       TEXT    NOT NULL,
  duration_ms  INTEGER NOT NULL,
  size_bytes   INTEGER NOT NULL,
  imported_at  INTEGER NOT NULL
);

CREATE TABLE session (
  id                INTEGER PRIMARY KEY,
  guild_id          INTEGER NOT NULL,
  name              TEXT    NOT NULL,
  voice_channel_id  INTEGER NOT NULL,
  text_channel_id   INTEGER,
  mention_role_id   INTEGER,
  schedule          TEXT    NOT NULL,          -- carillon-tasks Schedule text form
  gap_ms            INTEGER NOT NULL,
  max_duration_ms   INTEGER,
  repeat_playlist   INTEGER NOT NULL,
  reminder_minutes  INTEGER NOT NULL,
  start_text        TEXT,
  end_text          TEXT,
  enabled           INTEGER NOT NULL,
  late_grace_ms     INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (guild_id, name)
);

CREATE TABLE session_track (
  session_id  INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  audio_id    TEXT    NOT NULL REFERENCES audio_item (id),
  PRIMARY KEY (session_id, position)
);

-- One row per occurrence that was claimed, missed or skipped: the unique key is what makes sure an
-- occurrence is never played twice, across restarts and processes.
CREATE TABLE run (
  id             INTEGER PRIMARY KEY,
  session_id     INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  scheduled_at   INTEGER NOT NULL,
  started_at     INTEGER,
  ended_at       INTEGER,
  outcome        TEXT    NOT NULL CHECK (outcome IN
                   ('RUNNING', 'COMPLETED', 'STOPPED', 'FAILED', 'MISSED', 'INTERRUPTED', 'SKIPPED_BUSY')),
  tracks_played  INTEGER NOT NULL DEFAULT 0,
  bot_account    TEXT,
  error          TEXT,
  UNIQUE (session_id, scheduled_at)
);
CREATE INDEX run_by_outcome ON run (outcome);

-- The durable command queue: written before a command is acknowledged.
CREATE TABLE command (
  id            INTEGER PRIMARY KEY,
  kind          TEXT    NOT NULL CHECK (kind IN ('PLAY', 'PAUSE', 'RESUME', 'SKIP', 'STOP', 'VOLUME')),
  session_id    INTEGER NOT NULL,
  volume        INTEGER,
  source        TEXT    NOT NULL CHECK (source IN ('WEB', 'API', 'SLASH', 'CLI')),
  requested_by  TEXT    NOT NULL,
  requested_at  INTEGER NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'REJECTED', 'FAILED')),
  result        TEXT,
  finished_at   INTEGER
);
CREATE INDEX command_pending ON command (status) WHERE status IN ('PENDING', 'RUNNING');
