package carillon.bot.web.auth;

import carillon.bot.web.http.Problem;
import carillon.tasks.TimeSource;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Limits password attempts (logins, setup, password changes) before any password is hashed: each attempt takes
 * a token from its client's bucket and, from a client the account does not know, from the account's bucket,
 * atomically (Bucket4j), so a burst of parallel requests gets no more guesses than a sequence would. A
 * successful attempt gives its tokens back and makes its client known to the account.
 *
 * <p>The account's limit protects it from everyone else, not from its owner: a browser that logged in to the
 * account before (its device cookie, a random secret an attacker cannot guess) is not held by the account's
 * limit, and has a limit of its own apart from its address's; no limit is shared by all clients. (Addresses are
 * not trusted this way: an attacker may share one with the owner, behind the same NAT or proxy.) Each limit is several at once (per minute, per hour, per day), so the wait
 * grows as failures go on. In memory: a restart forgets, which an attacker cannot trigger from outside.
 */
final class LoginThrottle {
  /** Keys (clients, accounts) kept at most; past it the least recently used are forgotten (bounded memory). */
  private static final int MAX_KEYS = 10_000;
  /** Known clients remembered per account. */
  private static final int KNOWN_PER_ACCOUNT = 32;

  /** The limits of one key: {@code attempts} per {@code period}, all at once. */
  record Limits(int perMinute, int perHour, int perDay) {}

  /** Limits on one client address (or a known device): it may try this often, whichever account it names. */
  static final Limits CLIENT = new Limits(10, 30, 100);
  /** Limits on one account from clients it does not know. */
  static final Limits ACCOUNT = new Limits(5, 20, 50);

  /** An attempt that holds its tokens; {@link #succeeded()} gives them back. */
  static final class Attempt {
    private final Bucket clientBucket;
    private final Bucket accountBucket;

    private Attempt(Bucket clientBucket, Bucket accountBucket) {
      this.clientBucket = clientBucket;
      this.accountBucket = accountBucket;
    }

    /** The password was right: the attempt does not count. */
    void succeeded() {
      clientBucket.addTokens(1);
      if (accountBucket != null) {
        accountBucket.addTokens(1);
      }
    }
  }

  private final TimeMeter clock;
  private final Map<String, Bucket> clients = lru();
  private final Map<String, Bucket> accounts = lru();
  private final Map<String, Set<String>> known = lru();

  LoginThrottle(TimeSource time) {
    this.clock = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = time.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  /**
   * Reserves an attempt at {@code account} from {@code client}, before the password is checked.
   *
   * @param account the account as named (normalized), or any key of what is being guessed
   * @param client the client's address
   * @param device the client's device cookie, or null
   * @throws Problem 429 with Retry-After when the client, or the account from a client it does not know, has
   *     used its attempts
   */
  Attempt reserve(String account, String client, String device) {
    boolean knownDevice = device != null && knows(account, "device:" + device);
    String clientKey = knownDevice ? "device:" + device : "address:" + client;
    Bucket clientBucket = bucket(clients, clientKey, CLIENT);
    ConsumptionProbe byClient = clientBucket.tryConsumeAndReturnRemaining(1);
    if (!byClient.isConsumed()) {
      throw refused(byClient);
    }
    Bucket accountBucket = null;
    if (!knownDevice) {
      accountBucket = bucket(accounts, account, ACCOUNT);
      ConsumptionProbe byAccount = accountBucket.tryConsumeAndReturnRemaining(1);
      if (!byAccount.isConsumed()) {
        clientBucket.addTokens(1); // no password was checked
        throw refused(byAccount);
      }
    }
    return new Attempt(clientBucket, accountBucket);
  }

  /** Makes a device known to an account (it just logged in; its cookie may have been just issued). */
  void rememberDevice(String account, String device) {
    remember(account, "device:" + device);
  }

  private boolean knows(String account, String clientKey) {
    synchronized (known) {
      Set<String> clientsOf = known.get(account);
      return clientsOf != null && clientsOf.contains(clientKey);
    }
  }

  private void remember(String account, String clientKey) {
    synchronized (known) {
      Set<String> clientsOf = known.computeIfAbsent(account, a -> new LinkedHashSet<>());
      clientsOf.remove(clientKey);
      clientsOf.add(clientKey);
      if (clientsOf.size() > KNOWN_PER_ACCOUNT) {
        clientsOf.remove(clientsOf.iterator().next());
      }
    }
  }

  private Bucket bucket(Map<String, Bucket> buckets, String key, Limits limits) {
    synchronized (buckets) {
      return buckets.computeIfAbsent(key, k -> newBucket(limits));
    }
  }

  private Bucket newBucket(Limits limits) {
    return Bucket.builder()
        .addLimit(limit(limits.perMinute(), Duration.ofMinutes(1)))
        .addLimit(limit(limits.perHour(), Duration.ofHours(1)))
        .addLimit(limit(limits.perDay(), Duration.ofDays(1)))
        .withCustomTimePrecision(clock)
        .build();
  }

  private static Function<BandwidthBuilder.BandwidthBuilderCapacityStage,
      BandwidthBuilder.BandwidthBuilderBuildStage> limit(int attempts, Duration period) {
    return capacity -> capacity.capacity(attempts).refillGreedy(attempts, period);
  }

  private static Problem refused(ConsumptionProbe probe) {
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return Problem.rateLimited("too many failed attempts; try again in " + seconds + " s", seconds);
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }
}
