package chat.server;

import chat.testing.NodeProcess;
import chat.testing.OpsHttp;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM drains a node: its sessions end, their presence is released at once (not after the
 * lease), so the users log in elsewhere at the first try and messages to them are stored.
 */
class DrainTest {

  @Test
  void sigtermReleasesPresenceImmediately() {
    try (TestCluster cluster = TestCluster.start(1)) {
      int port = TestNode.freePort();
      int metricsPort = TestNode.freePort();
      JsonObject conf = cluster.joinConfig().put("host", "127.0.0.1").put("ports", new JsonArray().add(port))
          .put("node", new JsonObject().put("id", "draining")).put("drainSeconds", 5);
      try (NodeProcess draining = NodeProcess.start(conf,
              Map.of("CHAT_METRICS_PORT", String.valueOf(metricsPort), "CHAT_METRICS_HOST", "127.0.0.1"));
           TestClient user = TestClient.connect(port);
           TestClient sender = cluster.node(0).connect();
           TestClient elsewhere = cluster.node(0).connect();
           TestClient probe = cluster.node(0).connect()) {
        long u = user.registerAndLogin("user");
        sender.registerAndLogin("sender");
        assertEquals(2, probe.legacyLogin(u, "pw-user").getInteger("errno"), "claimed by the process");
        // the process as operators run it serves Vert.x's own meters next to the chat ones
        assertEquals(200, OpsHttp.get(metricsPort, "/health/ready").status());
        OpsHttp.Scrape scrape = new OpsHttp.Scrape(OpsHttp.get(metricsPort, "/metrics").body());
        assertEquals(1, scrape.value("chat_sessions_logged_in"));
        assertTrue(scrape.has("vertx_redis_processing_time_seconds_count"), "Vert.x built with metrics");

        assertEquals(0, draining.stop(), "SIGTERM exits 0");
        assertTrue(user.awaitClosed(Duration.ofSeconds(15)), "the session was closed");
        assertTrue(draining.log().contains("stopping: no new connections"), draining.log());

        sender.chat(u, "while you were moving", 1);
        assertEquals("stored", sender.expect(14).getString("status"), "stored, not lost");
        JsonObject login = elsewhere.legacyLogin(u, "pw-user");
        assertEquals(0, login.getInteger("errno"), () -> "first try after the drain: " + login.encode());
        JsonArray offline = login.getJsonArray("offlinemsg");
        assertEquals(1, offline.size());
        assertEquals("while you were moving", new JsonObject(offline.getString(0)).getString("msg"));
      }
    }
  }
}
