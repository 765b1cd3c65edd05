package carillon.bot.web.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;

/** The API's answers about logins, accounts and tokens. Guild ids are strings (JSON numbers lose precision above 2^53). */
final class AuthViews {
  private AuthViews() {}

  /** @param guilds the guilds it administers, in id order; empty when {@code allGuilds} */
  record AccountView(long id, String name, boolean allGuilds, List<String> guilds, Instant createdAt) {
    static AccountView of(AdminAccounts.Account account) {
      return new AccountView(account.id(), account.name(), account.allGuilds(),
          account.guilds().stream().sorted().map(String::valueOf).toList(), account.createdAt());
    }
  }

  /** A login that began: the account, and the CSRF token its state-changing requests must carry. */
  record LoginView(@JsonUnwrapped AccountView account, String csrfToken, Instant expiresAt) {}

  /**
   * A changed password: the new login of this browser (every other one ended), and whether the account's API
   * tokens were revoked too, as the request chose ({@code revokeApiTokens}), with how many.
   */
  record PasswordChanged(@JsonUnwrapped AccountView account, String csrfToken, Instant expiresAt,
      boolean revokeApiTokens, int apiTokensRevoked) {}

  /**
   * Who the request acts for.
   *
   * @param kind admin or token
   * @param csrfToken the login's CSRF token; absent for API tokens
   */
  record Me(String name, String kind, boolean allGuilds, List<String> guilds,
      @JsonInclude(JsonInclude.Include.NON_NULL) String csrfToken, Instant expiresAt) {}

  record AccountList(List<AccountView> accounts) {}

  /** An API token, without its secret; the times are null until they happen. */
  record TokenView(long id, String name, List<String> guilds, Instant createdAt, Instant expiresAt, Instant revokedAt,
      Instant lastUsedAt) {
    static TokenView of(ApiTokens.Token token) {
      return new TokenView(token.id(), token.name(), token.guilds().stream().sorted().map(String::valueOf).toList(),
          token.createdAt(), token.expiresAt(), token.revokedAt().orElse(null), token.lastUsedAt().orElse(null));
    }
  }

  /** A token just made, with its secret (JSON {@code token}): shown this once. */
  record IssuedToken(@JsonUnwrapped TokenView view, @JsonProperty("token") String secret) {}

  record TokenList(List<TokenView> tokens) {}
}
