package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.TestRedisHa;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A Redis Cluster of three shards: the users' claims and the nodes' channels spread over them. The
 * master of the shard holding the receiver's node channel and claim is killed during steady
 * cross-node chat (or, for maintenance, failed over while it still runs: then it becomes a replica
 * that answers MOVED and ends its sharded subscriptions); its replica takes over and the nodes carry
 * on; a node restarted during the outage rejoins.
 */
class RedisClusterFailoverTest {

  @ParameterizedTest(name = "master killed: {0}")
  @ValueSource(booleans = {true, false})
  void aShardsReplicaTakesOverMidChatAndNothingAckedIsLostOrDoubled(boolean kill) {
    String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject settings = TestNode.cheapPasswordHashing().put("broker", new JsonObject().put("namespace", ns));
    try (TestRedisHa redis = TestRedisHa.cluster();
         TestCluster cluster = TestCluster.startOn(redis, 3, settings);
         TestClient alice = cluster.node(0).connect();
         TestClient bob = cluster.node(1).connect();
         TestClient carol = cluster.node(2).connect();
         TestClient dave = cluster.node(0).connect()) {
      int doomed = redis.masterSubscribedTo("chat:" + ns + ":node:n1-*");
      // users whose claims live on each shard; two on the doomed one (bob, and dave, who logs in during the outage)
      Map<Integer, List<Long>> byShard = new HashMap<>();
      while (byShard.size() < 3 || byShard.getOrDefault(doomed, List.of()).size() < 2) {
        long id = alice.register(TestClient.uniqueName("u"), "pw");
        byShard.computeIfAbsent(redis.masterOf("chat:" + ns + ":presence:" + id), k -> new ArrayList<>()).add(id);
      }
      long b = byShard.get(doomed).get(0);
      long d = byShard.get(doomed).get(1);
      List<Long> others = byShard.entrySet().stream().filter(e -> e.getKey() != doomed)
          .map(e -> e.getValue().get(0)).toList();
      long a = others.get(0);
      long c = others.get(1);
      assertEquals(0, alice.login(a, "pw").getInteger("errno"));
      assertEquals(0, bob.login(b, "pw").getInteger("errno"));
      assertEquals(0, carol.login(c, "pw").getInteger("errno"));
      befriend(alice, b, c);
      assertOnline(alice, b, c);
      assertInUse(cluster.node(0), b, c);
      assertInUse(cluster.node(2), a);
      carol.chatDelivered(a, "from the third shard", "c1");
      assertEquals("from the third shard", alice.expect(6).getString("msg"));
      SteadyChat chat = new SteadyChat(alice, bob, b);
      chat.sendDelivered(20);

      if (kill) {
        redis.kill(doomed);
      } else {
        redis.promoteReplicaOf(doomed);
      }
      long struck = System.nanoTime();
      String bobsClaim = "chat:" + ns + ":presence:" + b;
      CompletableFuture<Double> promoted = CompletableFuture.supplyAsync(
          () -> SteadyChat.secondsUntil(struck, () -> redis.masterOf(bobsClaim) != doomed, "no replica took over"));
      CompletableFuture<Double> login = CompletableFuture.supplyAsync(
          () -> SteadyChat.secondsUntilLogin(dave, d, "pw", struck));
      CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
        cluster.node(2).stopNode();
        cluster.node(2).startNode();
      });
      double delivered = chat.secondsUntilDelivered(struck, promoted::isDone);
      System.out.printf("cluster failover (%s): replica took over after %.1f s, live cross-node delivery after %.1f s, "
          + "a login on that shard after %.1f s (node timeout 2 s); %d messages acked%n",
          kill ? "master killed" : "CLUSTER FAILOVER", promoted.join(), delivered, login.join(), chat.acked());
      restarted.join();

      chat.send(20);
      chat.assertEachArrivedOnceInOrder();
      // bob's claim lives on the promoted replica: a classic login is still refused, he is still online to friends
      assertNotEquals(doomed, redis.masterOf(bobsClaim));
      assertInUse(cluster.node(0), b, d);
      assertOnline(alice, b);
      // the node restarted during the outage rejoined: carol logs in there again, and chats both ways
      try (TestClient back = cluster.node(2).connect()) {
        JsonObject ack = TestClient.retryWhileInUse(() -> back.login(c, "pw"), Duration.ofSeconds(15));
        assertEquals(0, ack.getInteger("errno"), ack::encode);
        SteadyChat toAlice = new SteadyChat(back, alice, a);
        toAlice.secondsUntilDelivered(System.nanoTime());
        toAlice.assertEachArrivedOnceInOrder();
        SteadyChat toCarol = new SteadyChat(alice, back, c);
        toCarol.secondsUntilDelivered(System.nanoTime());
        toCarol.assertEachArrivedOnceInOrder();
      }
    }
  }

  private static void befriend(TestClient user, long... friends) {
    for (long f : friends) {
      user.send(new JsonObject().put("msgid", 7).put("friendid", f).put("seq", "f" + f));
      assertEquals(0, user.expect(11).getInteger("errno"));
    }
  }

  /** The user's CARD shows these friends online: their claims read from their shards. */
  private static void assertOnline(TestClient user, long... friends) {
    user.send(new JsonObject().put("msgid", 47).put("seq", "card"));
    JsonArray list = user.expect(48).getJsonArray("friends");
    for (long f : friends) {
      boolean online = list.stream().map(o -> new JsonObject((String) o))
          .anyMatch(j -> j.getLong("id") == f && j.getString("state").equals("online"));
      assertEquals(true, online, "friend " + f + " online in " + list.encode());
    }
  }

  /** A classic login of each of these users is refused on this node: their claims are where the node looks. */
  private static void assertInUse(TestNode node, long... users) {
    for (long u : users) {
      try (TestClient again = node.connect()) {
        assertEquals(2, again.legacyLogin(u, "pw").getInteger("errno"), "user " + u);
      }
    }
  }
}
