package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestRedisHa;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis behind Sentinel: its master is killed during steady cross-node chat, Sentinel promotes the
 * replica, and the nodes follow by themselves (reconnect, resubscribe, re-claim their users).
 */
class SentinelFailoverTest {

  @Test
  void theNodesFollowThePromotedReplicaAndNothingAckedIsLostOrDoubled() {
    try (TestRedisHa redis = TestRedisHa.sentinel();
         TestCluster cluster = TestCluster.startOn(redis, 2, new JsonObject());
         TestClient alice = cluster.node(0).connect();
         TestClient bob = cluster.node(1).connect();
         TestClient carol = cluster.node(1).connect()) {
      TwoUsers pair = TwoUsers.loggedIn(alice, bob);
      long c = carol.register(TestClient.uniqueName("carol"), "pw");
      SteadyChat chat = new SteadyChat(alice, bob, pair.bobId());
      chat.sendDelivered(20);

      int master = redis.master();
      redis.kill(master);
      long killed = System.nanoTime();
      CompletableFuture<Double> promoted = CompletableFuture.supplyAsync(
          () -> SteadyChat.secondsUntil(killed, () -> redis.master() != master, "no replica promoted"));
      CompletableFuture<Double> login = CompletableFuture.supplyAsync(
          () -> SteadyChat.secondsUntilLogin(carol, c, "pw", killed));
      double delivered = chat.secondsUntilDelivered(killed);
      System.out.printf("sentinel failover: replica promoted after %.1f s, live cross-node delivery after %.1f s, "
          + "a login after %.1f s (down-after 2 s); %d messages acked%n",
          promoted.join(), delivered, login.join(), chat.acked());

      chat.sendDelivered(20);
      chat.assertEachArrivedOnceInOrder();
      // the claims are back on the new master: still one session per user, and both ways deliver
      try (TestClient again = cluster.node(1).connect()) {
        assertEquals(2, again.login(pair.aliceId(), "pw-alice").getInteger("errno"));
      }
      bob.chatDelivered(pair.aliceId(), "hi back", "back");
      assertEquals("hi back", alice.expect(6).getString("msg"));
    }
  }
}
