-- Where a playing run is, saved every few seconds, so that a run a crash cut short resumes at the same
-- track and about the same position instead of being lost or played again from the start.
ALTER TABLE run ADD COLUMN track_index INTEGER;
ALTER TABLE run ADD COLUMN track_position_ms INTEGER;
ALTER TABLE run ADD COLUMN progress_at INTEGER;
