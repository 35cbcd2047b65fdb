package chat.testing;

import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * scripts/cluster.sh as an operator runs it, on ports of its own (each CLUSTER_* port free with the
 * 4 after it: up to 3 nodes), its run directory in a temp dir, its nodes run from the test classes
 * (CLUSTER_NODE_COMMAND) on a throwaway database. Closing it runs {@code down} and removes them.
 */
public final class ClusterScript implements AutoCloseable {
  public static final List<String> PORT_VARIABLES = List.of("CLUSTER_NGINX_PORT", "CLUSTER_WEB_PORT",
      "CLUSTER_NODE_PORT", "CLUSTER_NODE_WEB_PORT", "CLUSTER_METRICS_PORT");
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private final Path run = TempDirs.create("chat-cluster-run-");
  private final String database = TestNode.throwawayDatabase();
  private final Map<String, String> ports = new HashMap<>();

  public ClusterScript() {
    Set<Integer> taken = new HashSet<>();
    for (String variable : PORT_VARIABLES) {
      int base = TestNode.freePort();
      while (!IntStream.range(base, base + 5).allMatch(p -> !taken.contains(p) && isFree(p))) {
        base = TestNode.freePort();
      }
      IntStream.range(base, base + 5).forEach(taken::add);
      ports.put(variable, String.valueOf(base));
    }
  }

  public int port(String variable) {
    return Integer.parseInt(ports.get(variable));
  }

  /** Sets one of the script's port variables (a value within another's range makes ports collide). */
  public void port(String variable, int value) {
    ports.put(variable, String.valueOf(value));
  }

  public Path runDirectory() {
    return run;
  }

  /** {@code scripts/cluster.sh args}, run from the repository's top directory. */
  public MainRun run(String... args) {
    return shell("bash scripts/cluster.sh " + String.join(" ", args));
  }

  /** A command line, as typed at the repository's top directory, with the script's variables in the environment. */
  public MainRun shell(String commandLine) {
    return MainRun.shell(Path.of("").toAbsolutePath(), environment(), null, commandLine, LIMIT);
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(ports);
    env.put("CLUSTER_RUN", run.toString());
    env.put("CLUSTER_NODE_COMMAND", String.join(" ", NodeProcess.javaCommand()));
    env.put("CHAT_STORE_DATABASE", database);
    return env;
  }

  /** True when nothing listens on the port (on the loopback). */
  public static boolean isFree(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (IOException refused) {
      return true;
    }
  }

  @Override
  public void close() {
    run("down");
    Vertx vertx = Vertx.vertx();
    try {
      TestNode.dropDatabase(vertx, database);
    } finally {
      TestNode.await(vertx.close());
    }
    TempDirs.delete(run);
  }
}
