package chat.cluster;

import chat.testing.ClusterScript;
import chat.testing.MainRun;
import chat.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/cluster.sh as an operator runs it (on ports of its own: {@link ClusterScript}). */
class ClusterScriptTest {
  private final ClusterScript cluster = new ClusterScript();

  @AfterEach
  void clean() {
    cluster.close();
  }

  /** The README's first command took 6000 and 8080, then `scripts/cluster.sh up`: nothing starts, every port is named. */
  @Test
  void upChecksItsPortsFirstNamesItsOwnVariablesAndStartsNothing() throws IOException {
    int node = cluster.port("CLUSTER_NODE_PORT");
    int web = cluster.port("CLUSTER_WEB_PORT");
    try (ServerSocket firstNode = listen(node); ServerSocket firstNodesWeb = listen(web)) {
      MainRun up = cluster.run("up");
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
    int web = cluster.port("CLUSTER_NODE_WEB_PORT");
    cluster.port("CLUSTER_METRICS_PORT", web);
    cluster.port("CLUSTER_NODE_WEB_PORT", web + 1);
    MainRun up = cluster.run("up");
    assertEquals(1, up.exit(), up.output());
    int node = cluster.port("CLUSTER_NODE_PORT");
    assertTrue(up.output().matches("(?s).*node \\d+ did not start .*Address already in use.*\n"
        + "\\(this script sets the node's ports from CLUSTER_NODE_PORT, CLUSTER_NODE_WEB_PORT and CLUSTER_METRICS_PORT\\)\n"
        + "stopped what this start began: node-" + node + " node-" + (node + 2) + "\n"), up.output());
    assertNothingRuns();
  }

  /** A whole cluster up and down with a client connected through nginx: down waits for nginx, which then logs nothing. */
  @Test
  void upServesThroughNginxAndDownStopsEverythingCleanly() throws IOException {
    MainRun up = cluster.run("up", "1");
    assertEquals(0, up.exit(), up.output());
    try (TestClient client = TestClient.connect(cluster.port("CLUSTER_NGINX_PORT"))) {
      client.send(new JsonObject().put("msgid", 20)).expect(21);
      MainRun down = cluster.run("down");
      assertEquals(0, down.exit(), down.output());
      assertTrue(client.awaitClosed(TestClient.TIMEOUT), "the client's connection ended with the cluster");
    }
    assertEquals("", Files.readString(cluster.runDirectory().resolve("nginx/error.log")),
        "nginx logged nothing, no [alert] unlink()");
    assertNothingRuns();
  }

  private void assertNothingRuns() throws IOException {
    try (Stream<Path> files = Files.list(cluster.runDirectory())) {
      assertEquals(List.of(), files.map(Path::getFileName).map(Path::toString).filter(n -> n.endsWith(".pid")).toList(),
          "no node pid file left");
    }
    assertFalse(Files.exists(cluster.runDirectory().resolve("nginx/nginx.pid")), "no nginx left");
    for (String variable : ClusterScript.PORT_VARIABLES) {
      for (int port = cluster.port(variable); port < cluster.port(variable) + 3; port++) {
        assertTrue(ClusterScript.isFree(port), variable + ": " + port + " is free again");
      }
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
  }
}
