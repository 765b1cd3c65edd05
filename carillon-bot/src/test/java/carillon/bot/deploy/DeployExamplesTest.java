package carillon.bot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import carillon.bot.config.Config;
import carillon.bot.config.ConfigException;
import carillon.bot.config.ConfigLoader;
import carillon.bot.config.Setting;
import carillon.bot.web.WebHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment examples in deploy/ say only true things: every {@code CARILLON_} variable they name is a
 * setting (docs/configuration.md's table, {@link Setting}), each process's environment is one Carillon's own
 * loader accepts, the processes of the cluster examples agree on the database and the accounts' shard count
 * (with at least as many shards as processes), the probes ask routes that a real web server answers, and the
 * time a process is given to stop outlasts its shutdown timeout.
 *
 * <p>The YAML is read with SnakeYAML (on the classpath for Jackson's YAML module, which Carillon's config
 * loader uses): Jackson's YAML parser does not resolve the anchors and merge keys compose files use.
 */
class DeployExamplesTest {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = REPOSITORY.resolve("deploy/docker-compose.yml");
  private static final Path COMPOSE_CLUSTER = REPOSITORY.resolve("deploy/docker-compose.cluster.yml");
  private static final Path KUBERNETES = REPOSITORY.resolve("deploy/kubernetes/carillon.yaml");
  private static final Path DOCKERFILE = REPOSITORY.resolve("Dockerfile");
  private static final Pattern VARIABLE = Pattern.compile("CARILLON_[A-Z0-9_]*[A-Z0-9]");
  /** What a process needs besides its settings: after a clean stop, the web server, Discord and the store close. */
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);
  private static final Pattern SECONDS = Pattern.compile("(\\d+)s");

  @TempDir Path dir;

  /** Is {@code name} an environment variable Carillon reads? (An account's variables name the account.) */
  static boolean isSetting(String name) {
    if (name.equals(ConfigLoader.CONFIG_VARIABLE) || Setting.ALL.stream().anyMatch(s -> s.variable().equals(name))) {
      return true;
    }
    return Setting.ACCOUNT.stream().anyMatch(s -> {
      String[] around = s.variable().split("_NAME_");
      return name.matches(Pattern.quote(around[0] + "_") + "[A-Z0-9_]+" + Pattern.quote("_" + around[1]));
    });
  }

  @Test
  void theVariableCheckKnowsSettingsFromMisspellings() {
    assertThat(isSetting("CARILLON_DATABASE_URL")).isTrue();
    assertThat(isSetting("CARILLON_ACCOUNTS_MAIN_SHARDS")).isTrue();
    assertThat(isSetting("CARILLON_ACCOUNTS_BELL_TOWER_TOKEN_FILE")).isTrue();
    assertThat(isSetting("CARILLON_DATABASE_URI")).isFalse();
    assertThat(isSetting("CARILLON_ACCOUNTS_MAIN_SHARD")).isFalse();
    assertThat(isSetting("CARILLON_SHUTDOWN_TIMEOUTS")).isFalse();
  }

  @Test
  void everyCarillonVariableTheExamplesNameIsASetting() throws IOException {
    for (Path file : List.of(COMPOSE, COMPOSE_CLUSTER, KUBERNETES, DOCKERFILE)) {
      // Every mention, comments included: a comment that names a variable tells an operator to set it.
      Matcher m = VARIABLE.matcher(Files.readString(file));
      Set<String> unknown = new TreeSet<>();
      int named = 0;
      while (m.find()) {
        named++;
        if (!isSetting(m.group())) {
          unknown.add(m.group());
        }
      }
      assertThat(named).as("%s names Carillon's variables", file).isPositive();
      assertThat(unknown).as("variables in %s that are no setting (docs/configuration.md lists them)", file).isEmpty();
    }
  }

  @Test
  void theComposeClusterIsThreeProcessesOnOneDatabaseWithTheSameShards() throws Exception {
    Map<String, Object> compose = yaml(COMPOSE_CLUSTER).getFirst();
    Map<String, Object> services = map(compose.get("services"), "services");
    Map<String, Object> topSecrets = map(compose.get("secrets"), "secrets");
    Map<String, Config> processes = new LinkedHashMap<>();
    Set<Object> dataVolumes = new LinkedHashSet<>();
    for (Map.Entry<String, Object> entry : services.entrySet()) {
      Map<String, Object> service = map(entry.getValue(), entry.getKey());
      if (!String.valueOf(service.get("image")).startsWith("carillon:")) {
        continue;
      }
      String name = entry.getKey();
      Map<String, String> environment = new LinkedHashMap<>(imageEnvironment());
      List<Object> secrets = list(service.get("secrets"), name + ".secrets");
      map(service.get("environment"), name + ".environment").forEach((key, value) -> {
        String text = String.valueOf(value);
        if (text.startsWith("/run/secrets/")) {
          String secret = text.substring("/run/secrets/".length());
          assertThat(secrets).as("%s reads %s from secret %s: the service must be given it", name, key, secret)
              .contains(secret);
          assertThat(topSecrets).as("secret %s is defined", secret).containsKey(secret);
          text = secretFile(secret).toString();
        }
        environment.put(key, text);
      });
      Config config = load(name, environment);
      processes.put(name, config);

      // Published on the port it listens on: the Host a browser sends is then one the server answers.
      int port = config.webAddress().getPort();
      assertThat(list(service.get("ports"), name + ".ports")).as("%s publishes its web port", name)
          .anySatisfy(p -> assertThat(String.valueOf(p)).endsWith(":" + port + ":" + port));
      // Given time to stop: its shutdown timeout and then closing.
      Duration grace = seconds(String.valueOf(service.get("stop_grace_period")), name + ".stop_grace_period");
      assertThat(grace).as("%s: stop_grace_period against shutdownTimeout %s", name, config.shutdownTimeout())
          .isGreaterThanOrEqualTo(config.shutdownTimeout().plus(CLOSE_MARGIN));
      // One shared volume at the data directory: audio uploaded through one process is there for all.
      List<Object> volumes = list(service.get("volumes"), name + ".volumes");
      Optional<Object> data = volumes.stream()
          .filter(v -> String.valueOf(v).endsWith(":" + config.dataDir())).findFirst();
      assertThat(data).as("%s mounts a volume at its data directory %s", name, config.dataDir()).isPresent();
      dataVolumes.add(String.valueOf(data.get()).split(":")[0]);
      assertThat(map(service.get("depends_on"), name + ".depends_on")).as("%s waits for PostgreSQL", name)
          .containsKey("db");
    }

    assertThat(processes).as("Carillon services in %s", COMPOSE_CLUSTER).hasSize(3);
    assertThat(dataVolumes).as("the data volume the processes share").hasSize(1);
    assertClusterAgrees(processes, processes.size());
    assertThat(processes.values().stream().map(c -> c.webAddress().getPort()).distinct().count())
        .as("each process on a port of its own").isEqualTo(3);
  }

  @Test
  void theKubernetesStatefulSetIsThreeReplicasOnOneDatabaseWithTheSameShards() throws Exception {
    List<Map<String, Object>> documents = yaml(KUBERNETES);
    Map<String, Object> statefulSet = kind(documents, "StatefulSet");
    Map<String, Object> secret = kind(documents, "Secret");
    String secretName = String.valueOf(map(secret.get("metadata"), "Secret.metadata").get("name"));
    Map<String, Object> secretData = map(secret.get("stringData"), "Secret.stringData");
    Map<String, Object> spec = map(statefulSet.get("spec"), "StatefulSet.spec");
    int replicas = (Integer) spec.get("replicas");
    Map<String, Object> pod = map(map(spec.get("template"), "template").get("spec"), "template.spec");
    List<Object> containers = list(pod.get("containers"), "containers");
    assertThat(containers).hasSize(1);
    Map<String, Object> container = map(containers.getFirst(), "container");

    Map<String, String> environment = new LinkedHashMap<>(imageEnvironment());
    for (Object item : list(container.get("env"), "env")) {
      Map<String, Object> variable = map(item, "env item");
      String name = String.valueOf(variable.get("name"));
      if (variable.containsKey("value")) {
        environment.put(name, String.valueOf(variable.get("value")));
      } else {
        Map<String, Object> ref = map(map(variable.get("valueFrom"), name + ".valueFrom").get("secretKeyRef"),
            name + ".secretKeyRef");
        assertThat(ref.get("name")).as("%s comes from the Secret in the file", name).isEqualTo(secretName);
        assertThat(secretData).as("the Secret has %s's key", name).containsKey(String.valueOf(ref.get("key")));
        environment.put(name, String.valueOf(secretData.get(String.valueOf(ref.get("key")))));
      }
    }
    Config config = load("the StatefulSet's pod", environment);
    // One pod template: every replica has this environment, so the replicas agree by construction.
    assertThat(replicas).isEqualTo(3);
    assertClusterAgrees(Map.of("pod", config), replicas);

    int grace = (Integer) pod.get("terminationGracePeriodSeconds");
    assertThat(Duration.ofSeconds(grace)).as("terminationGracePeriodSeconds against shutdownTimeout %s",
        config.shutdownTimeout()).isGreaterThanOrEqualTo(config.shutdownTimeout().plus(CLOSE_MARGIN));

    // The probes ask the web port (the one Carillon listens on) at the health routes.
    int port = config.webAddress().getPort();
    Map<String, Object> ports = map(list(container.get("ports"), "ports").getFirst(), "port");
    assertThat(ports.get("containerPort")).isEqualTo(port);
    Map<String, String> probes = probes(container);
    assertThat(probes).containsEntry("readinessProbe", "/health/ready").containsEntry("livenessProbe", "/health/live");
    for (String probe : probes.keySet()) {
      Object probePort = map(map(container.get(probe), probe).get("httpGet"), probe + ".httpGet").get("port");
      assertThat(probePort).as("%s's port", probe).isIn(port, ports.get("name"));
    }

    // The data directory is one volume every replica mounts, whose claim can be shared.
    Map<String, Object> mount = map(list(container.get("volumeMounts"), "volumeMounts").getFirst(), "volumeMount");
    assertThat(mount.get("mountPath")).isEqualTo(config.dataDir().toString());
    Map<String, Object> volume = map(list(pod.get("volumes"), "volumes").getFirst(), "volume");
    assertThat(volume.get("name")).isEqualTo(mount.get("name"));
    String claim = String.valueOf(map(volume.get("persistentVolumeClaim"), "persistentVolumeClaim").get("claimName"));
    Map<String, Object> claimed = documents.stream().filter(d -> "PersistentVolumeClaim".equals(d.get("kind")))
        .filter(d -> claim.equals(map(d.get("metadata"), "metadata").get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no PersistentVolumeClaim " + claim + " in " + KUBERNETES));
    assertThat(list(map(claimed.get("spec"), "claim spec").get("accessModes"), "accessModes")).contains("ReadWriteMany");
  }

  /** What the probes and the image's HEALTHCHECK ask is answered 200 by a real, ready web server, unauthenticated. */
  @Test
  void theProbesAskRoutesThatAnswer() throws Exception {
    Set<String> paths = new TreeSet<>(probes(map(list(map(map(map(kind(yaml(KUBERNETES), "StatefulSet").get("spec"),
        "spec").get("template"), "template").get("spec"), "pod").get("containers"), "containers").getFirst(), "c"))
        .values());
    Matcher healthcheck = Pattern.compile("HEALTHCHECK .*\"(/[^\"]*)\"\\]").matcher(Files.readString(DOCKERFILE));
    assertThat(healthcheck.find()).as("the Dockerfile's HEALTHCHECK names a path").isTrue();
    paths.add(healthcheck.group(1));
    try (WebHarness web = new WebHarness(dir, Instant.parse("2026-12-01T07:00:00Z"), 1_000_000)) {
      for (String path : paths) {
        assertThat(web.anonymous().get(path).status()).as("GET %s", path).isEqualTo(200);
      }
      assertThat(web.anonymous().get("/health/redy").status()).as("a misspelled path is not answered 200")
          .isNotEqualTo(200);
    }
  }

  /** Same database, same accounts, same shard count, and at least as many shards as processes. */
  private static void assertClusterAgrees(Map<String, Config> processes, int count) {
    Set<String> urls = new TreeSet<>();
    Set<String> accounts = new TreeSet<>();
    for (Map.Entry<String, Config> p : processes.entrySet()) {
      Config c = p.getValue();
      assertThat(c.databaseUrl()).as("%s's database", p.getKey()).startsWith("jdbc:postgresql:");
      urls.add(c.databaseUrl());
      assertThat(c.accounts()).as("%s's bot accounts", p.getKey()).isNotEmpty();
      for (Config.Account a : c.accounts()) {
        accounts.add(a.name() + " shards=" + a.shards());
        assertThat(a.shards()).as("%s: account %s's shards, for %d processes", p.getKey(), a.name(), count)
            .isGreaterThanOrEqualTo(count);
      }
    }
    assertThat(urls).as("the database URLs of %s", processes.keySet()).hasSize(1);
    assertThat(accounts.stream().map(a -> a.split(" ")[0]).distinct().count())
        .as("each account has one shard count across the processes: %s", accounts)
        .isEqualTo(accounts.size());
    int[] counts = processes.values().stream().mapToInt(c -> c.accounts().size()).distinct().toArray();
    assertThat(counts).as("every process has the same accounts").hasSize(1);
  }

  /** The environment the image sets itself (the Dockerfile's ENV), which a service's environment adds to. */
  private static Map<String, String> imageEnvironment() throws IOException {
    Matcher env = Pattern.compile("(?m)^ENV ((?:.*\\\\\\n)*.*)$").matcher(Files.readString(DOCKERFILE));
    Map<String, String> variables = new LinkedHashMap<>();
    while (env.find()) {
      for (String pair : env.group(1).replace("\\\n", " ").trim().split("\\s+")) {
        String[] kv = pair.split("=", 2);
        variables.put(kv[0], kv[1]);
      }
    }
    assertThat(variables).as("the Dockerfile's ENV").containsKey("CARILLON_DATA_DIR");
    return variables;
  }

  /** Carillon's own loader on a process's environment: an unknown variable or a bad value fails here. */
  private static Config load(String process, Map<String, String> environment) {
    try {
      return ConfigLoader.load(Optional.empty(), environment);
    } catch (ConfigException e) {
      return fail("Carillon refuses the environment of %s:%n%s", process, String.join("\n", e.problems()));
    }
  }

  /** A file standing for the secret, as /run/secrets/NAME does in a container. */
  private Path secretFile(String secret) {
    try {
      Path file = dir.resolve("secrets").resolve(secret);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, "secret-of-" + secret);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Probe kind → HTTP path, for the probes a container has. */
  private static Map<String, String> probes(Map<String, Object> container) {
    Map<String, String> probes = new LinkedHashMap<>();
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      if (container.containsKey(probe)) {
        probes.put(probe, String.valueOf(map(map(container.get(probe), probe).get("httpGet"), probe + ".httpGet")
            .get("path")));
      }
    }
    return probes;
  }

  private static Duration seconds(String text, String what) {
    Matcher m = SECONDS.matcher(text);
    assertThat(m.matches()).as("%s '%s' in seconds, like 30s", what, text).isTrue();
    return Duration.ofSeconds(Long.parseLong(m.group(1)));
  }

  private static List<Map<String, Object>> yaml(Path file) throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
      documents.add(map(document, file + " document"));
    }
    return documents;
  }

  private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
    List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(found).as("one %s in the Kubernetes example", kind).hasSize(1);
    return found.getFirst();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node, String what) {
    assertThat(node).as("%s is a mapping", what).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node, String what) {
    assertThat(node).as("%s is a list", what).isInstanceOf(List.class);
    return (List<Object>) node;
  }
}
