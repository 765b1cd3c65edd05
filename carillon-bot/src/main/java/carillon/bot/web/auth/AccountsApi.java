package carillon.bot.web.auth;

import carillon.bot.web.auth.AdminAccounts.Account;
import carillon.bot.web.auth.AuthViews.AccountList;
import carillon.bot.web.auth.AuthViews.AccountView;
import carillon.bot.web.auth.AuthViews.IssuedToken;
import carillon.bot.web.auth.AuthViews.TokenList;
import carillon.bot.web.auth.AuthViews.TokenView;
import carillon.bot.web.http.JsonInput;
import carillon.bot.web.http.Names;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Accounts (managed by admins of every guild) and API tokens (each admin's own). Only logged-in admins
 * reach these routes; an API token cannot make more tokens.
 */
final class AccountsApi {
  private static final int MAX_TOKEN_NAME = 100;

  private final AdminAccounts accounts;
  private final ApiTokens tokens;
  private final Auth auth;
  private final ObjectMapper json;

  AccountsApi(AdminAccounts accounts, ApiTokens tokens, Auth auth, ObjectMapper json) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.auth = auth;
    this.json = json;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/accounts", this::listAccounts);
    routes.post("/api/accounts", this::createAccount);
    routes.delete("/api/accounts/{account}", this::deleteAccount);
    routes.get("/api/tokens", this::listTokens);
    routes.post("/api/tokens", this::createToken);
    routes.delete("/api/tokens/{token}", this::revokeToken);
  }

  private void listAccounts(Context ctx) {
    Requests.owner(ctx);
    ctx.json(new AccountList(accounts.list().stream().map(AccountView::of).toList()));
  }

  private void createAccount(Context ctx) {
    Requests.owner(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    String name = in.string("name", true);
    String password = in.string("password", true);
    boolean allGuilds = Boolean.TRUE.equals(in.bool("allGuilds", false));
    List<Long> guilds = in.ids("guilds", false);
    if (!allGuilds && (guilds == null || guilds.isEmpty()) && in.errors().isEmpty()) {
      in.error("guilds", "is required unless allGuilds is true: the guilds this admin may see");
    }
    in.check();
    try {
      Account account = accounts.create(name, password, allGuilds, allGuilds ? Set.of() : new LinkedHashSet<>(guilds));
      ctx.status(201).header("Location", "/api/accounts/" + account.id()).json(AccountView.of(account));
    } catch (InvalidInputException e) {
      throw Problem.invalid(e.errors());
    }
  }

  private void deleteAccount(Context ctx) {
    Principal owner = Requests.owner(ctx);
    long id = Requests.pathId(ctx, "account");
    if (id == owner.accountId()) {
      throw Problem.conflict("account", "you cannot delete your own account; another admin of every guild can");
    }
    if (!accounts.delete(id)) {
      throw Problem.notFound("there is no account with id " + id);
    }
    auth.forgetCached(); // its logins and tokens went with it
    ctx.status(204);
  }

  private void listTokens(Context ctx) {
    Principal user = Requests.user(ctx);
    ctx.json(new TokenList(tokens.ofAccount(user.accountId()).stream().map(TokenView::of).toList()));
  }

  private void createToken(Context ctx) {
    Principal user = Requests.user(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    String name = in.string("name", true);
    List<Long> guilds = in.ids("guilds", true);
    Integer days = in.integer("expiresInDays", 1, (int) Auth.MAX_TOKEN_LIFETIME.toDays(), 90);
    if (name != null && (name.isBlank() || name.strip().length() > MAX_TOKEN_NAME
        || name.chars().anyMatch(Character::isISOControl) || Names.hasMarkup(name))) {
      in.error("name", "must be 1 to " + MAX_TOKEN_NAME + " characters, without control characters, '<' or '>'");
    }
    if (guilds != null) {
      if (guilds.isEmpty()) {
        in.error("guilds", "must name at least one guild the token may act in");
      }
      for (int i = 0; i < guilds.size(); i++) {
        if (!user.sees(guilds.get(i))) {
          in.error("guilds[" + i + "]", "you have no access to guild " + guilds.get(i));
        }
      }
    }
    in.check();
    ApiTokens.Issued issued = tokens.create(user.accountId(), name.strip(), new LinkedHashSet<>(guilds),
        Duration.ofDays(days));
    ctx.status(201).header("Location", "/api/tokens/" + issued.token().id())
        .json(new IssuedToken(TokenView.of(issued.token()), issued.secret()));
  }

  private void revokeToken(Context ctx) {
    Principal user = Requests.user(ctx);
    long id = Requests.pathId(ctx, "token");
    if (!tokens.revoke(user.accountId(), id)) {
      throw Problem.notFound("you have no API token with id " + id);
    }
    auth.forgetCached();
    ctx.status(204);
  }
}
