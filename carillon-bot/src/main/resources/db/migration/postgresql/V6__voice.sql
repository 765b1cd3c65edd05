-- PostgreSQL variant of sqlite/V6__voice.sql.
-- Voice in the real world (issue 11): Stage channels in the channel cache, the outcomes of runs that
-- someone else or an empty channel ended, and each session's presence policy.

ALTER TABLE guild_channel DROP CONSTRAINT guild_channel_kind_check;
ALTER TABLE guild_channel ADD CONSTRAINT guild_channel_kind_check CHECK (kind IN ('TEXT', 'VOICE', 'STAGE'));

ALTER TABLE run DROP CONSTRAINT run_outcome_check;
ALTER TABLE run ADD CONSTRAINT run_outcome_check CHECK (outcome IN
  ('RUNNING', 'COMPLETED', 'STOPPED', 'FAILED', 'MISSED', 'INTERRUPTED', 'SKIPPED_BUSY',
   'DISCONNECTED', 'NO_LISTENERS', 'ENDED_ALONE'));

-- Presence: wait up to wait_for_member_ms for a first member (NULL: play regardless), and what to do
-- after alone_after_ms with no member in the channel (STAY: play on, as before).
ALTER TABLE session ADD COLUMN wait_for_member_ms BIGINT;
ALTER TABLE session ADD COLUMN when_alone TEXT NOT NULL DEFAULT 'STAY' CHECK (when_alone IN ('STAY', 'END', 'PAUSE'));
ALTER TABLE session ADD COLUMN alone_after_ms BIGINT;
