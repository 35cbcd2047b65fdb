package chat.cluster;

import chat.testing.Waits;
import chat.testing.NodeProcess;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node or Redis dies: nothing is lost, and the cluster heals within the lease bound. */
class ClusterFailureTest {

  @Test
  void aKilledNodesUsersGoOfflineWithinTheLeaseAndTheirMessagesAreStored() {
    JsonObject fastLease = new JsonObject().put("broker", new JsonObject().put("leaseSeconds", 5));
    try (TestCluster cluster = TestCluster.start(1, fastLease)) {
      int port = TestNode.freePort();
      JsonObject conf = cluster.joinConfig().put("host", "127.0.0.1").put("ports", new JsonArray().add(port))
          .put("node", new JsonObject().put("id", "doomed"));
      try (NodeProcess doomed = NodeProcess.start(conf, Map.of());
           TestClient victim = TestClient.connect(port);
           TestClient sender = cluster.node(0).connect()) {
        long v = victim.registerAndLogin("victim");
        sender.registerAndLogin("sender");
        assertEquals(2, cluster.node(0).connect().legacyLogin(v, "pw-victim").getInteger("errno"));

        doomed.kill();
        long killedAt = System.nanoTime();
        sender.chat(v, "are you there?", 1);
        assertEquals("stored", sender.expect(14).getString("status"), "a dead node's user gets it stored");

        TestClient elsewhere = cluster.node(0).connect();
        JsonObject login = elsewhere.legacyLogin(v, "pw-victim");
        while (login.getInteger("errno") == 2 && System.nanoTime() - killedAt < 30_000_000_000L) {
          Waits.sleep(200);
          login = elsewhere.legacyLogin(v, "pw-victim");
        }
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("presence bound: the killed node's user could log in elsewhere after %.1f s (lease 5 s)%n",
            seconds);
        assertEquals(0, login.getInteger("errno"), login::encode);
        JsonArray offline = login.getJsonArray("offlinemsg");
        assertEquals(1, offline.size());
        assertEquals("are you there?", new JsonObject(offline.getString(0)).getString("msg"));
        elsewhere.close();
      }
    }
  }

  @Test
  void redisRestartedMidTrafficLosesNothingAndDeliveryResumes() {
    try (TestCluster cluster = TestCluster.start(2);
         TestClient alice = cluster.node(0).connect();
         TestClient bob = cluster.node(1).connect()) {
      SteadyChat chat = new SteadyChat(alice, bob, TwoUsers.loggedIn(alice, bob).bobId());
      chat.sendDelivered(20);
      cluster.redis().kill();
      for (int i = 0; i < 20; i++) {
        assertEquals("stored", chat.sendOne(), "no route while Redis is down: stored, not lost");
      }
      cluster.redis().startServer();
      // delivery resumes once both nodes have reconnected and re-claimed their users
      long restarted = System.nanoTime();
      System.out.printf("standalone restart: live cross-node delivery %.1f s after Redis answered again%n",
          chat.secondsUntilDelivered(restarted));
      chat.assertEachArrivedOnceInOrder();
    }
  }

  @Test
  void withRedisDownLoginsGet503AndLocalUsersKeepChatting() {
    try (TestCluster cluster = TestCluster.start(1);
         TestClient alice = cluster.node(0).connect();
         TestClient bob = cluster.node(0).connect();
         TestClient carol = cluster.node(0).connect()) {
      long b = TwoUsers.loggedIn(alice, bob).bobId();
      long c = carol.register(TestClient.uniqueName("carol"), "pw");
      cluster.redis().kill();
      alice.chat(b, "same node, no Redis needed", 1);
      assertEquals("same node, no Redis needed", bob.expect(6).getString("msg"));
      assertEquals("delivered", alice.expect(14).getString("status"));
      carol.send(new JsonObject().put("msgid", 1).put("id", c).put("password", "pw").put("seq", 2));
      JsonObject err = carol.expectRefused(2, 503);
      assertEquals(1, err.getInteger("re"));
      assertEquals(2, err.getInteger("seq"));
      cluster.redis().startServer();
      JsonObject login = carol.send(new JsonObject().put("msgid", 1).put("id", c).put("password", "pw")).next();
      for (int i = 0; i < 50 && login.getInteger("msgid") == 99; i++) {
        Waits.sleep(200);
        login = carol.send(new JsonObject().put("msgid", 1).put("id", c).put("password", "pw")).next();
      }
      assertEquals(0, login.getInteger("errno"), login::encode);
    }
  }
}
