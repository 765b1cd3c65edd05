-- Idempotency-Key of POST commands (issue 12): the key, scoped to whoever sent it, is stored with the command it
-- made, so a retried request finds that command instead of making a second. Keys are forgotten (set to NULL)
-- 24 hours after the command was requested (CommandQueue.KEY_KEPT).
ALTER TABLE command ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX command_idempotency_key ON command (idempotency_key) WHERE idempotency_key IS NOT NULL;

