-- Every audio file gets an Ogg/Opus copy at import (audio/<xx>/<hash>.opus, carillon.bot.library.AudioLibrary),
-- encoded with the gain that brings it to the target loudness: that gain in dB. NULL: no copy yet (imported
-- before this version; AudioLibrary.encodePending makes it at start).
ALTER TABLE audio_item ADD COLUMN opus_gain_db REAL;

-- Fades: a session may fade in at its start and out at its end (0: none). Shuffle: a new order each run.
ALTER TABLE session ADD COLUMN fade_in_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN fade_out_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 0;

-- The order a run plays its playlist in (playlist positions, comma-separated, from 0), recorded when it
-- starts: shown in the history and used when a run a crash cut short resumes. NULL: playlist order.
ALTER TABLE run ADD COLUMN track_order TEXT;
