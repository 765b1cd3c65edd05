-- Browsers logged in with Discord (issue 17). Like web_login, the cookie is kept only as its hash. Discord's
-- tokens are not kept at all: the guilds the member manages were read from Discord at login and are kept here
-- until the login ends (a login lasts at most an hour, so a lost Manage Server stops counting within the hour).
CREATE TABLE discord_login (
  cookie_hash  TEXT   PRIMARY KEY,
  user_id      BIGINT NOT NULL,
  user_name    TEXT   NOT NULL,
  guilds       TEXT   NOT NULL,
  csrf_token   TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX discord_login_by_user ON discord_login (user_id);

-- Browsers on their way to Discord's consent page: the state's hash and its PKCE verifier, for ten minutes. In the
-- store, not in memory, so that the way back may reach another Carillon process than the one it left.
CREATE TABLE discord_login_state (
  state_hash   TEXT   PRIMARY KEY,
  verifier     TEXT   NOT NULL,
  created_at   BIGINT NOT NULL
);
