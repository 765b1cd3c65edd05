-- Issue 12: the whole player state for crash recovery, truthful run outcomes, and the store's probe.
--
-- A playing run saves, with its track and position, whether it is paused and its volume, so that a run a
-- crash cut short resumes as it was (paused at 40 % stays paused at 40 %, at its volume).
-- Outcomes gain CRASHED (the process ended without a shutdown and the run was not resumed; V6 added
-- DISCONNECTED, NO_LISTENERS and ENDED_ALONE); INTERRUPTED now means a shutdown only. SQLite cannot
-- change a CHECK constraint in place, so the run table is rebuilt (nothing references it).
CREATE TABLE run_v8 (
  id                 INTEGER PRIMARY KEY,
  session_id         INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  scheduled_at       INTEGER NOT NULL,
  started_at         INTEGER,
  ended_at           INTEGER,
  outcome            TEXT    NOT NULL CHECK (outcome IN ('RUNNING', 'COMPLETED', 'STOPPED', 'FAILED', 'MISSED',
                       'INTERRUPTED', 'SKIPPED_BUSY', 'DISCONNECTED', 'NO_LISTENERS', 'ENDED_ALONE', 'CRASHED')),
  tracks_played      INTEGER NOT NULL DEFAULT 0,
  bot_account        TEXT,
  error              TEXT,
  track_index        INTEGER,
  track_position_ms  INTEGER,
  progress_at        INTEGER,
  paused             INTEGER NOT NULL DEFAULT 0,
  volume             INTEGER,
  UNIQUE (session_id, scheduled_at)
);
INSERT INTO run_v8 (id, session_id, scheduled_at, started_at, ended_at, outcome, tracks_played, bot_account, error,
    track_index, track_position_ms, progress_at)
  SELECT id, session_id, scheduled_at, started_at, ended_at, outcome, tracks_played, bot_account, error,
    track_index, track_position_ms, progress_at FROM run;
DROP TABLE run;
ALTER TABLE run_v8 RENAME TO run;
CREATE INDEX run_by_outcome ON run (outcome);

-- One row the store writes to while it is unavailable, to learn when it takes writes again.
CREATE TABLE store_probe (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at  INTEGER NOT NULL
);
INSERT INTO store_probe (id, checked_at) VALUES (1, 0);
