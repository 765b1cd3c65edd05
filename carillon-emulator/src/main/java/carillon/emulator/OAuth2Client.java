package carillon.emulator;

import java.util.List;

/**
 * A bot application registered for Login with Discord ({@link DiscordEmulator#registerOAuth2}): the client id
 * (the application id), its secret, and the redirect URIs the consent page may send people back to.
 */
public record OAuth2Client(long clientId, String clientSecret, List<String> redirectUris) {
  public OAuth2Client {
    redirectUris = List.copyOf(redirectUris);
  }

  @Override
  public String toString() {
    return "OAuth2Client[" + clientId + " " + redirectUris + "]"; // never print the secret
  }
}
