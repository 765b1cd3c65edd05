-- PostgreSQL variant of sqlite/V7__store_state.sql: paused and volume with a run's progress, the CRASHED
-- outcome (V6 added DISCONNECTED, NO_LISTENERS and ENDED_ALONE), and the store's probe row.
ALTER TABLE run ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE run ADD COLUMN volume INTEGER;
ALTER TABLE run DROP CONSTRAINT run_outcome_check;
ALTER TABLE run ADD CONSTRAINT run_outcome_check CHECK (outcome IN ('RUNNING', 'COMPLETED', 'STOPPED', 'FAILED',
  'MISSED', 'INTERRUPTED', 'SKIPPED_BUSY', 'DISCONNECTED', 'NO_LISTENERS', 'ENDED_ALONE', 'CRASHED'));

CREATE TABLE store_probe (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at  BIGINT NOT NULL
);
INSERT INTO store_probe (id, checked_at) VALUES (1, 0);
