package carillon.bot.web.auth;

import java.net.URI;
import java.util.Optional;

/**
 * Login with Discord (OAuth2 authorization code with PKCE and state): where Discord is, the application's client
 * id and secret (its Developer Portal page, OAuth2). The redirect URI registered there is Carillon's address
 * followed by {@value #CALLBACK}: {@code web.publicUrl} when set, else the address the browser used (which the
 * web server's Host check allows only for the address it listens on).
 *
 * @param discord Discord's origin: {@code https://discord.com}, or a carillon-emulator's in tests. People are sent
 *     to {@code /oauth2/authorize} there; Carillon calls {@code /api/v10/...}
 * @param clientId the application's id
 * @param clientSecret the application's client secret
 * @param publicUrl {@code web.publicUrl}, if set
 * @param commandRole {@code commands.role}: besides Manage Server, members with this role (an id, or an exact
 *     name) manage a guild's sessions
 */
public record DiscordLogin(URI discord, String clientId, String clientSecret, Optional<URI> publicUrl,
    Optional<String> commandRole) {
  /** The path of the callback: {@code redirectUri} must end with it. */
  public static final String CALLBACK = "/login/discord/callback";

  @Override
  public String toString() {
    return "DiscordLogin[" + discord + " client " + clientId + "]"; // never the secret
  }

  /** The redirect URI: {@code publicUrl}'s callback, else the callback at {@code origin} (scheme://host:port). */
  URI redirectUri(String origin) {
    return URI.create(publicUrl.map(u -> u.toString().replaceAll("/$", "")).orElse(origin) + CALLBACK);
  }
}
