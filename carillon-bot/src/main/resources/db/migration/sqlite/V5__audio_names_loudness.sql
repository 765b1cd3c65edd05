-- Audio library names are unique after NFKC and case folding (carillon.bot.naming.NameKey). The key is
-- computed in Java: rows imported before this version get theirs when the library opens (AudioLibrary),
-- which renames a clashing name with a number. NULL keys do not clash.
ALTER TABLE audio_item ADD COLUMN name_key TEXT;
CREATE UNIQUE INDEX audio_item_name_key ON audio_item (name_key);

-- Loudness measured at import (ITU-R BS.1770-4, carillon.bot.library.LoudnessMeter): integrated loudness in
-- LUFS and true peak in dBTP. NULL for silence and for files imported before this version.
ALTER TABLE audio_item ADD COLUMN loudness_lufs REAL;
ALTER TABLE audio_item ADD COLUMN true_peak_dbtp REAL;
