-- Discord scheduled events and direct-message reminders (issue 14).
-- publish_event: whether Carillon keeps a Discord scheduled event for the session's next occurrence.
-- Sessions stored before this migration keep quiet (0); new sessions publish unless their spec says not.
ALTER TABLE session ADD COLUMN publish_event INTEGER NOT NULL DEFAULT 0;

-- The Discord scheduled event Carillon keeps for a session (one at a time). Not tied to the session row by a
-- foreign key: when a session is deleted, this row tells which Discord event to delete, and goes after.
--   occurrence_at: the occurrence it announces (epoch ms); status: SCHEDULED or ACTIVE as Carillon set it;
--   left_alone_at: the session's updated_at when a person in Discord deleted or ended the event (epoch ms):
--   the event is not recreated until the session is edited again (its updated_at then differs);
--   written_for: the session's updated_at when Carillon last wrote the event: a person's edit in Discord is
--   kept until the session itself is edited.
CREATE TABLE session_event (
  session_id     INTEGER PRIMARY KEY,
  guild_id       INTEGER NOT NULL,
  event_id       INTEGER,
  occurrence_at  INTEGER,
  status         TEXT CHECK (status IN ('SCHEDULED', 'ACTIVE')),
  left_alone_at  INTEGER,
  written_for    INTEGER
);

-- Members who asked for a direct message before every session of a guild (/carillon remind on).
CREATE TABLE reminder_opt_in (
  guild_id  INTEGER NOT NULL,
  user_id   INTEGER NOT NULL,
  since     INTEGER NOT NULL,
  PRIMARY KEY (guild_id, user_id)
);
