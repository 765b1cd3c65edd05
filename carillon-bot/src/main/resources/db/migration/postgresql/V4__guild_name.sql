-- PostgreSQL variant of sqlite/V4__guild_name.sql: 64-bit integers, identity keys, booleans.
-- Guild names, filled from Discord with the channel and role cache, so that pages show names, not ids.
CREATE TABLE guild (
  guild_id  BIGINT PRIMARY KEY,
  name      TEXT    NOT NULL
);
