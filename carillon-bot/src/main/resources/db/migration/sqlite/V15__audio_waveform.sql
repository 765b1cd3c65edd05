-- A peak envelope per audio file for the library page's thumbnail (carillon.bot.library.Waveform): 160 bytes,
-- each the largest sample magnitude of a slice, 0..255. NULL for files imported before this version, until
-- their Ogg/Opus copy is made again (AudioLibrary.encodePending).
ALTER TABLE audio_item ADD COLUMN waveform BLOB;
