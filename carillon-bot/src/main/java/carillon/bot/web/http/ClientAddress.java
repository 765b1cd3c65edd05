package carillon.bot.web.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The address of the client a request comes from. A request from a trusted proxy ({@code web.trustedProxies})
 * speaks for its client: the client is the nearest address in {@code Forwarded} (RFC 7239) or, without it,
 * {@code X-Forwarded-For} that is not itself a trusted proxy. From anyone else these headers are ignored, so a
 * client cannot choose the address it is limited by.
 *
 * <pre>{@code
 * ClientAddress clients = ClientAddress.trusting(List.of("10.0.0.0/8", "::1"));
 * String client = clients.of(ctx);   // "203.0.113.7"
 * }</pre>
 */
public final class ClientAddress {
  private final List<Range> trusted;

  private record Range(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      return rest == 0 || ((address[full] ^ network[full]) & (0xff << (8 - rest)) & 0xff) == 0;
    }
  }

  private ClientAddress(List<Range> trusted) {
    this.trusted = trusted;
  }

  /**
   * @param proxies IP addresses ({@code 10.0.0.2}, {@code ::1}) or ranges ({@code 10.0.0.0/8}) of the proxies in
   *     front; empty trusts none
   * @throws IllegalArgumentException naming an entry that is neither
   */
  public static ClientAddress trusting(List<String> proxies) {
    List<Range> ranges = new ArrayList<>();
    for (String proxy : proxies) {
      ranges.add(range(proxy.strip()));
    }
    return new ClientAddress(List.copyOf(ranges));
  }

  /** Checks one entry of {@code web.trustedProxies}; the message says what is wrong. */
  public static void check(String proxy) {
    range(proxy.strip());
  }

  private static Range range(String text) {
    int slash = text.indexOf('/');
    byte[] address = literal(slash < 0 ? text : text.substring(0, slash))
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or a range such as 10.0.0.0/8"));
    int bits = address.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has a prefix length that is not 0 to " + address.length * 8);
      }
    }
    return new Range(address, bits);
  }

  /** The bytes of an IP literal (never a DNS lookup), or empty. */
  private static Optional<byte[]> literal(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (bare.isEmpty() || !bare.matches("[0-9a-fA-F.:]+")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.ofLiteral(bare).getAddress());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private boolean isTrusted(String address) {
    Optional<byte[]> bytes = literal(address);
    return bytes.isPresent() && trusted.stream().anyMatch(r -> r.contains(bytes.get()));
  }

  /** The client's address: the peer's, or what a trusted proxy says the client's is. */
  public String of(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (trusted.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    List<String> chain = forwarded(ctx.header("Forwarded"));
    if (chain.isEmpty()) {
      chain = forwardedFor(ctx.header("X-Forwarded-For"));
    }
    // Nearest first: each trusted proxy appended the address it received the request from.
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = chain.get(i);
      if (literal(hop).isEmpty()) {
        return peer; // "unknown", an obfuscated name: nothing to trust beyond this hop
      }
      if (!isTrusted(hop) || i == 0) {
        return normal(hop);
      }
    }
    return peer;
  }

  private static String normal(String address) {
    return InetAddress.ofLiteral(address.startsWith("[") ? address.substring(1, address.length() - 1) : address)
        .getHostAddress();
  }

  private static List<String> forwardedFor(String header) {
    List<String> chain = new ArrayList<>();
    if (header != null) {
      for (String part : header.split(",")) {
        if (!part.isBlank()) {
          chain.add(part.strip());
        }
      }
    }
    return chain;
  }

  /** The {@code for=} of each element of a {@code Forwarded} header, ports removed. */
  private static List<String> forwarded(String header) {
    List<String> chain = new ArrayList<>();
    if (header == null) {
      return chain;
    }
    for (String element : header.split(",")) {
      for (String pair : element.split(";")) {
        String[] kv = pair.strip().split("=", 2);
        if (kv.length == 2 && kv[0].strip().toLowerCase(Locale.ROOT).equals("for")) {
          chain.add(withoutPort(kv[1].strip().replace("\"", "")));
        }
      }
    }
    return chain;
  }

  private static String withoutPort(String node) {
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end < 0 ? node : node.substring(0, end + 1);
    }
    int colon = node.indexOf(':');
    return colon >= 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }
}
