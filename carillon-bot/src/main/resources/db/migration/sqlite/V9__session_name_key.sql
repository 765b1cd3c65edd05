-- Session names are unique in a guild after Unicode NFKC normalisation and case folding
-- (carillon.bot.naming.NameKey): "Thiền sáng" and "THIỀN SÁNG" are one name. The key is computed in Java,
-- so this migration only adds the column, empty: NULL keys never clash, so existing sessions whose names
-- differ only by case or form cannot break it. When Carillon opens the store (session.Sessions) each
-- session without a key gets one, in id order; a session whose key an earlier one already has is renamed
-- "Name (2)" ("Name (3)"...), with a warning naming both names in the log.
ALTER TABLE session ADD COLUMN name_key TEXT;
CREATE UNIQUE INDEX session_name_key ON session (guild_id, name_key);
