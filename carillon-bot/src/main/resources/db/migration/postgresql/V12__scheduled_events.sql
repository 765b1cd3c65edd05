-- PostgreSQL variant of sqlite/V12__scheduled_events.sql (see there).
ALTER TABLE session ADD COLUMN publish_event BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE session_event (
  session_id     BIGINT PRIMARY KEY,
  guild_id       BIGINT NOT NULL,
  event_id       BIGINT,
  occurrence_at  BIGINT,
  status         TEXT CHECK (status IN ('SCHEDULED', 'ACTIVE')),
  left_alone_at  BIGINT,
  written_for    BIGINT
);

CREATE TABLE reminder_opt_in (
  guild_id  BIGINT NOT NULL,
  user_id   BIGINT NOT NULL,
  since     BIGINT NOT NULL,
  PRIMARY KEY (guild_id, user_id)
);
