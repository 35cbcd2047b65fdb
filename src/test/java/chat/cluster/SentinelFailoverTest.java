package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestRedisHa;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis behind Sentinel: during steady cross-node chat its master is killed (or, for maintenance,
 * failed over while it still runs: then it is demoted to a replica that still answers), Sentinel
 * promotes the replica, and the nodes follow by themselves (reconnect, resubscribe, re-claim their
 * users).
 */
class SentinelFailoverTest {

  @ParameterizedTest(name = "master killed: {0}")
  @ValueSource(booleans = {true, false})
  void theNodesFollowThePromotedReplicaAndNothingAckedIsLostOrDoubled(boolean kill) {
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
      if (kill) {
        redis.kill(master);
      } else {
        redis.promoteReplica();
      }
      long struck = System.nanoTime();
      CompletableFuture<Double> promoted = CompletableFuture.supplyAsync(
          () -> SteadyChat.secondsUntil(struck, () -> redis.master() != master, "no replica promoted"));
      CompletableFuture<Double> login = CompletableFuture.supplyAsync(
          () -> SteadyChat.secondsUntilLogin(carol, c, "pw", struck));
      double delivered = chat.secondsUntilDelivered(struck, promoted::isDone);
      System.out.printf("sentinel failover (%s): replica promoted after %.1f s, live cross-node delivery after %.1f s, "
          + "a login after %.1f s (down-after 2 s); %d messages acked%n",
          kill ? "master killed" : "SENTINEL FAILOVER", promoted.join(), delivered, login.join(), chat.acked());

      chat.send(20);
      chat.assertEachArrivedOnceInOrder();
      // the claims are on the new master: still one session per user; and the other way delivers too
      try (TestClient again = cluster.node(1).connect()) {
        assertEquals(2, again.legacyLogin(pair.aliceId(), "pw-alice").getInteger("errno"));
      }
      SteadyChat back = new SteadyChat(bob, alice, pair.aliceId());
      back.secondsUntilDelivered(System.nanoTime());
      back.assertEachArrivedOnceInOrder();
    }
  }
}
