-- PostgreSQL variant of sqlite/V3__run_progress.sql: 64-bit integers, identity keys, booleans.
-- Where a playing run is, saved every few seconds, so that a run a crash cut short resumes at the same
-- track and about the same position instead of being lost or played again from the start.
ALTER TABLE run ADD COLUMN track_index BIGINT;
ALTER TABLE run ADD COLUMN track_position_ms BIGINT;
ALTER TABLE run ADD COLUMN progress_at BIGINT;
