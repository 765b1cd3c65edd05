-- The admin web page and REST API: local admin accounts, their login sessions, and API tokens.
-- Secrets are never stored: passwords as Argon2id hashes, login cookies and API tokens as SHA-256
-- hashes (they are 256 random bits, so a fast hash is enough).

CREATE TABLE web_account (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,
  password_hash  TEXT    NOT NULL,                 -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
  all_guilds     INTEGER NOT NULL,                 -- 1: administers every guild (and the accounts)
  created_at     INTEGER NOT NULL
);

-- The guilds an account that does not administer every guild may see.
CREATE TABLE web_account_guild (
  account_id  INTEGER NOT NULL REFERENCES web_account (id) ON DELETE CASCADE,
  guild_id    INTEGER NOT NULL,
  PRIMARY KEY (account_id, guild_id)
);

-- A logged-in browser: the cookie's hash, and the CSRF token its state-changing requests must carry.
CREATE TABLE web_login (
  cookie_hash  TEXT    PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES web_account (id) ON DELETE CASCADE,
  csrf_token   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX web_login_by_account ON web_login (account_id);

-- Tokens for scripts: each is limited to some guilds and expires; revoking keeps the row for the record.
CREATE TABLE web_token (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES web_account (id) ON DELETE CASCADE,
  name          TEXT    NOT NULL,
  token_hash    TEXT    NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  last_used_at  INTEGER
);

CREATE TABLE web_token_guild (
  token_id  INTEGER NOT NULL REFERENCES web_token (id) ON DELETE CASCADE,
  guild_id  INTEGER NOT NULL,
  PRIMARY KEY (token_id, guild_id)
);
