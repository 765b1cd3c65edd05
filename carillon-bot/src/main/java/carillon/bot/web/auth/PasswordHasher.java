package carillon.bot.web.auth;

import carillon.bot.web.http.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}),
 * computed by Bouncy Castle. The cost is OWASP's first Argon2id setting (19 MiB, 2 passes, 1 lane),
 * about 0.1 s here; it is kept in each hash, so raising it later leaves old hashes verifiable.
 *
 * <p>Each hash holds 19 MiB while it runs, so at most two run at once (one per core of the machines
 * Carillon targets): a burst of logins waits rather than exhausting the heap.
 */
final class PasswordHasher {
  record Cost(int memoryKiB, int iterations, int parallelism) {}

  static final Cost DEFAULT = new Cost(19_456, 2, 1);
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final long WAIT_SECONDS = 30;

  private final Secrets secrets;
  private final Cost cost;
  private final Semaphore running = new Semaphore(2);

  PasswordHasher(Secrets secrets, Cost cost) {
    this.secrets = secrets;
    this.cost = cost;
  }

  String hash(String password) {
    byte[] salt = secrets.randomBytes(SALT_BYTES);
    byte[] hash = compute(password, salt, cost, HASH_BYTES);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
        + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  boolean verify(String password, String stored) {
    Matcher phc = PHC.matcher(stored);
    if (!phc.matches()) {
      return false;
    }
    Cost storedCost = new Cost(Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)), Integer.parseInt(phc.group(3)));
    byte[] salt = Base64.getDecoder().decode(phc.group(4));
    byte[] expected = Base64.getDecoder().decode(phc.group(5));
    return MessageDigest.isEqual(expected, compute(password, salt, storedCost, expected.length));
  }

  private byte[] compute(String password, byte[] salt, Cost with, int length) {
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(with.memoryKiB())
        .withIterations(with.iterations())
        .withParallelism(with.parallelism())
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    acquire();
    try {
      generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    } finally {
      running.release();
    }
    return out;
  }

  private void acquire() {
    try {
      if (!running.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw Problem.unavailable("too many logins at once; try again in a moment");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("the server is stopping");
    }
  }
}
