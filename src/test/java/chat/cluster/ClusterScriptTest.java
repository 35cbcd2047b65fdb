package chat.cluster;

import chat.testing.NodeProcess;
import chat.testing.TempDirs;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/cluster.sh as an operator runs it, on ports of its own (CLUSTER_*), its run directory in
 * a temp dir and its nodes run from the test classes (CLUSTER_NODE_COMMAND) on a throwaway database.
 */
class ClusterScriptTest {
  private final Path run = TempDirs.create("chat-cluster-run-");
  private final String database = TestNode.throwawayDatabase();
  /** The script's port settings: the base ports and what follows them, all free when the test begins. */
  private final Map<String, String> ports = new HashMap<>();

  @AfterEach
  void clean() {
    script("down");
    Vertx vertx = Vertx.vertx();
    try {
      TestNode.dropDatabase(vertx, database);
    } finally {
      TestNode.await(vertx.close());
    }
    TempDirs.delete(run);
  }

  /** The README's first command took 6000 and 8080, then `scripts/cluster.sh up`: nothing starts, every port is named. */
  @Test
  void upChecksItsPortsFirstNamesItsOwnVariablesAndStartsNothing() throws IOException {
    choosePorts();
    int node = port("CLUSTER_NODE_PORT");
    int web = port("CLUSTER_WEB_PORT");
    try (ServerSocket firstNode = listen(node); ServerSocket firstNodesWeb = listen(web)) {
      Run up = script("up");
      assertEquals(1, up.exit(), up.output());
      assertTrue(up.output().contains("cannot start the cluster: ports it needs are not free (nothing was started):\n"
          + "  " + web + " (nginx, for browsers: CLUSTER_WEB_PORT): taken\n"
          + "  " + node + " (node 0's chat port: CLUSTER_NODE_PORT + 2i): taken\n"), up.output());
      assertTrue(up.output().contains("or move the cluster's ports, e.g.: CLUSTER_WEB_PORT=" + (web + 10000)
          + " CLUSTER_NODE_PORT=" + (node + 10000) + " scripts/cluster.sh up 2"), up.output());
      assertFalse(up.output().contains("CHAT_PORTS"), "the script's variables, not the node's: " + up.output());
    }
    assertNothingRuns();
  }

  /** A node that does not start (here node 1's metrics port is node 0's web port): what started is stopped again. */
  @Test
  void aStartThatFailsStopsTheNodesItStarted() throws IOException {
    choosePorts();
    int web = port("CLUSTER_NODE_WEB_PORT");
    ports.put("CLUSTER_METRICS_PORT", String.valueOf(web));
    ports.put("CLUSTER_NODE_WEB_PORT", String.valueOf(web + 1));
    Run up = script("up");
    assertEquals(1, up.exit(), up.output());
    assertTrue(up.output().matches("(?s).*node \\d+ did not start .*Address already in use.*\n"
        + "\\(this script sets the node's ports from CLUSTER_NODE_PORT, CLUSTER_NODE_WEB_PORT and CLUSTER_METRICS_PORT\\)\n"
        + "stopped what this start began: node-" + port("CLUSTER_NODE_PORT") + " node-" + (port("CLUSTER_NODE_PORT") + 2)
        + "\n"), up.output());
    assertNothingRuns();
  }

  /** A whole cluster up and down with a client connected through nginx: down waits for nginx, which then logs nothing. */
  @Test
  void upServesThroughNginxAndDownStopsEverythingCleanly() throws IOException {
    choosePorts();
    Run up = script("up", "1");
    assertEquals(0, up.exit(), up.output());
    try (TestClient client = TestClient.connect(port("CLUSTER_NGINX_PORT"))) {
      client.send(new JsonObject().put("msgid", 20)).expect(21);
      Run down = script("down");
      assertEquals(0, down.exit(), down.output());
      assertTrue(client.awaitClosed(TestClient.TIMEOUT), "the client's connection ended with the cluster");
    }
    assertEquals("", Files.readString(run.resolve("nginx/error.log")), "nginx logged nothing, no [alert] unlink()");
    assertNothingRuns();
  }

  /** Each variable's base port with the 3 after it (for up to 2 nodes: node i on CLUSTER_NODE_PORT + 2i), all free. */
  private void choosePorts() {
    Set<Integer> taken = new HashSet<>();
    for (String variable : List.of("CLUSTER_NGINX_PORT", "CLUSTER_WEB_PORT", "CLUSTER_NODE_PORT",
        "CLUSTER_NODE_WEB_PORT", "CLUSTER_METRICS_PORT")) {
      int base = TestNode.freePort();
      while (!IntStream.range(base, base + 4).allMatch(p -> !taken.contains(p) && isFree(p))) {
        base = TestNode.freePort();
      }
      IntStream.range(base, base + 4).forEach(taken::add);
      ports.put(variable, String.valueOf(base));
    }
  }

  private int port(String variable) {
    return Integer.parseInt(ports.get(variable));
  }

  private void assertNothingRuns() throws IOException {
    try (var files = Files.list(run)) {
      assertEquals(List.of(), files.map(Path::getFileName).map(Path::toString).filter(n -> n.endsWith(".pid")).toList(),
          "no node pid file left");
    }
    assertFalse(Files.exists(run.resolve("nginx/nginx.pid")), "no nginx left");
    for (String variable : ports.keySet()) {
      assertTrue(isFree(port(variable)), variable + " " + port(variable) + " is free again");
    }
  }

  private static boolean isFree(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (IOException refused) {
      return true;
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
  }

  private record Run(int exit, String output) {
  }

  private Run script(String... args) {
    try {
      Path out = Files.createTempFile(run, "script-", ".txt");
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of("bash", "scripts/cluster.sh")))
          .redirectErrorStream(true).redirectOutput(out.toFile());
      builder.command().addAll(List.of(args));
      builder.environment().putAll(ports);
      builder.environment().put("CLUSTER_RUN", run.toString());
      builder.environment().put("CLUSTER_NODE_COMMAND", String.join(" ", NodeProcess.javaCommand()));
      builder.environment().put("CHAT_STORE_DATABASE", database);
      Process p = builder.start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("scripts/cluster.sh " + String.join(" ", args) + " did not end: " + Files.readString(out));
      }
      return new Run(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
