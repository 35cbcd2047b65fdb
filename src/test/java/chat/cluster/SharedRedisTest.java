package chat.cluster;

import chat.testing.OnEveryRedisMode;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clusters, each with its own database, on one Redis: the same user ids exist in both,
 * and neither cluster sees the other's presence, messages or drain signals. In each Redis mode.
 */
class SharedRedisTest extends OnEveryRedisMode {

  @Test
  void twoClustersOnOneRedisNeverSeeEachOthersUsers() {
    try (TestCluster x = TestCluster.startOn(redis(), 2, new JsonObject());
         TestCluster y = TestCluster.startOn(redis(), 1, new JsonObject());
         TestClient xAlice = x.node(0).connect();
         TestClient xBob = x.node(1).connect();
         TestClient yAlice = y.node(0).connect();
         TestClient yBob = y.node(0).connect()) {
      long xa = xAlice.registerAndLogin("x-alice");
      long xb = xBob.register(TestClient.uniqueName("x-bob"), "pw");
      long ya = yAlice.register(TestClient.uniqueName("y-alice"), "pw");
      long yb = yBob.register(TestClient.uniqueName("y-bob"), "pw");
      assertEquals(xa, ya, "fresh databases hand out the same ids");
      assertEquals(xb, yb);

      assertEquals(0, yAlice.login(ya, "pw").getInteger("errno"), "x's alice online does not hold y's alice");
      assertEquals(0, yBob.login(yb, "pw").getInteger("errno"));

      // to x's bob, offline in x: stored in x, not delivered to y's bob who has the same id
      xAlice.chat(xb, "for x's bob only", 1);
      assertEquals("stored", xAlice.expect(14).getString("status"));
      yBob.expectSilence(Duration.ofSeconds(1));

      JsonObject login = xBob.login(xb, "pw");
      assertEquals(0, login.getInteger("errno"));
      assertEquals("for x's bob only", new JsonObject(login.getJsonArray("offlinemsg").getString(0)).getString("msg"));
      // and live across x's nodes, still nothing for y
      xAlice.chat(xb, "live in x", 2);
      assertEquals("live in x", xBob.expect(6).getString("msg"));
      assertEquals("delivered", xAlice.expect(14).getString("status"));
      yBob.expectSilence(Duration.ofMillis(500));
      yAlice.expectSilence(Duration.ofMillis(100));
    }
  }

  @Test
  void aNamespaceHeldByAnotherStoreStopsTheNode() {
    JsonObject shared = new JsonObject().put("broker", new JsonObject().put("namespace",
        "shared-" + UUID.randomUUID().toString().substring(0, 8)));
    try (TestCluster x = TestCluster.startOn(redis(), 1, shared)) {
      Throwable refused = assertThrows(Throwable.class, () -> TestCluster.startOn(redis(), 1, shared));
      StringBuilder messages = new StringBuilder();
      for (Throwable t = refused; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertTrue(messages.toString().contains("belongs to another cluster"), messages::toString);
      // the first cluster goes on
      try (TestClient c = x.node(0).connect()) {
        c.registerAndLogin("still-here");
      }
    }
  }
}
