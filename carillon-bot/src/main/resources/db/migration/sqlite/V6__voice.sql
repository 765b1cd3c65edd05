-- Voice in the real world (issue 11): Stage channels in the channel cache, the outcomes of runs that
-- someone else or an empty channel ended, and each session's presence policy.
-- SQLite cannot change a CHECK constraint: guild_channel and run are rebuilt with the new lists (nothing
-- references either table; run keeps its ids, so later references would still hold).

CREATE TABLE guild_channel_new (
  guild_id    INTEGER NOT NULL,
  channel_id  INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('TEXT', 'VOICE', 'STAGE')),
  PRIMARY KEY (guild_id, channel_id)
);
INSERT INTO guild_channel_new SELECT guild_id, channel_id, name, kind FROM guild_channel;
DROP TABLE guild_channel;
ALTER TABLE guild_channel_new RENAME TO guild_channel;

CREATE TABLE run_new (
  id                 INTEGER PRIMARY KEY,
  session_id         INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  scheduled_at       INTEGER NOT NULL,
  started_at         INTEGER,
  ended_at           INTEGER,
  outcome            TEXT    NOT NULL CHECK (outcome IN
                       ('RUNNING', 'COMPLETED', 'STOPPED', 'FAILED', 'MISSED', 'INTERRUPTED', 'SKIPPED_BUSY',
                        'DISCONNECTED', 'NO_LISTENERS', 'ENDED_ALONE')),
  tracks_played      INTEGER NOT NULL DEFAULT 0,
  bot_account        TEXT,
  error              TEXT,
  track_index        INTEGER,
  track_position_ms  INTEGER,
  progress_at        INTEGER,
  UNIQUE (session_id, scheduled_at)
);
INSERT INTO run_new (id, session_id, scheduled_at, started_at, ended_at, outcome, tracks_played, bot_account, error,
    track_index, track_position_ms, progress_at)
  SELECT id, session_id, scheduled_at, started_at, ended_at, outcome, tracks_played, bot_account, error,
    track_index, track_position_ms, progress_at FROM run;
DROP TABLE run;
ALTER TABLE run_new RENAME TO run;
CREATE INDEX run_by_outcome ON run (outcome);

-- Presence: wait up to wait_for_member_ms for a first member (NULL: play regardless), and what to do
-- after alone_after_ms with no member in the channel (STAY: play on, as before).
ALTER TABLE session ADD COLUMN wait_for_member_ms INTEGER;
ALTER TABLE session ADD COLUMN when_alone TEXT NOT NULL DEFAULT 'STAY' CHECK (when_alone IN ('STAY', 'END', 'PAUSE'));
ALTER TABLE session ADD COLUMN alone_after_ms INTEGER;
