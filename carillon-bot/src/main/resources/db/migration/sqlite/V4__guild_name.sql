-- Guild names, filled from Discord with the channel and role cache, so that pages show names, not ids.
CREATE TABLE guild (
  guild_id  INTEGER PRIMARY KEY,
  name      TEXT    NOT NULL
);
