package chat.cluster;

import chat.testing.OnEveryRedisMode;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users on different nodes chat as if on one; one session per user across the cluster. On each of
 * the broker's Redis modes: one server, Sentinel, a Redis Cluster of three shards (one Redis per
 * mode for the whole class; each test's cluster has its own store, so its own namespace).
 */
class ClusterChatTest extends OnEveryRedisMode {
  private TestCluster cluster;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = TestCluster.startOn(redis(), 3, new JsonObject());
  }

  @AfterEach
  void stop() {
    clients.forEach(TestClient::close);
    cluster.close();
  }

  private TestClient on(int node) {
    TestClient c = cluster.node(node).connect();
    clients.add(c);
    return c;
  }

  @Test
  void oneToOneAcrossNodesBothWays() {
    TwoUsers pair = TwoUsers.loggedIn(on(0), on(1));
    pair.alice().chat(pair.bobId(), "hello from node 0", 1);
    JsonObject got = pair.bob().expect(6);
    assertEquals("hello from node 0", got.getString("msg"));
    assertEquals(pair.aliceId(), got.getLong("id"));
    assertEquals("delivered", pair.alice().expect(14).getString("status"));
    pair.bob().chat(pair.aliceId(), "hello from node 1", 2);
    assertEquals("hello from node 1", pair.alice().expect(6).getString("msg"));
    assertEquals("delivered", pair.bob().expect(14).getString("status"));
  }

  @Test
  void answersLeaveInRequestOrderWhateverOrderTheyAreReadyIn() {
    TwoUsers pair = TwoUsers.loggedIn(on(0), on(1));
    // a chat's ack waits for the other node's answer; the PING after it is ready at once, yet waits
    StringBuilder pipelined = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      pipelined.append(new JsonObject().put("msgid", 6).put("toid", pair.bobId()).put("msg", "m" + i)
              .put("seq", "c" + i).encode())
          .append('\0')
          .append(new JsonObject().put("msgid", 20).put("seq", "p" + i).encode())
          .append('\0');
    }
    pair.alice().sendRaw(pipelined.toString());
    for (int i = 0; i < 50; i++) {
      assertEquals("c" + i, pair.alice().expect(14).getString("seq"));
      assertEquals("p" + i, pair.alice().expect(21).getString("seq"));
    }
    for (int i = 0; i < 50; i++) {
      assertEquals("m" + i, pair.bob().expect(6).getString("msg"));
    }
  }

  @Test
  void offlineWhenTheRecipientIsOnNoNodeThenDeliveredOnAnotherNode() {
    TestClient alice = on(0);
    alice.registerAndLogin("alice");
    long b = on(1).register(TestClient.uniqueName("bob"), "pw");
    alice.chat(b, "later", 1);
    assertEquals("stored", alice.expect(14).getString("status"));
    JsonArray offline = on(2).login(b, "pw").getJsonArray("offlinemsg");
    assertEquals(1, offline.size());
    assertEquals("later", new JsonObject(offline.getString(0)).getString("msg"));
  }

  @Test
  void groupChatFansOutToEveryNodeAndTheOfflineStore() {
    TwoUsers pair = TwoUsers.loggedIn(on(0), on(1));
    TestClient carol = on(2);
    carol.registerAndLogin("carol");
    TestClient dave = on(2);
    long d = dave.register(TestClient.uniqueName("dave"), "pw");
    pair.alice().send(new JsonObject().put("msgid", 8).put("groupname", "everyone").put("seq", 1));
    long g = pair.alice().expect(12).getLong("groupid");
    for (TestClient c : List.of(pair.bob(), carol)) {
      c.send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", 2));
      c.expect(13);
    }
    dave.login(d, "pw");
    dave.send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", 3));
    dave.expect(13);
    dave.send(new JsonObject().put("msgid", 3).put("seq", 4));
    dave.expect(15);

    pair.alice().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "hi all").put("seq", 5));
    assertEquals("hi all", pair.bob().expect(10).getString("msg"));
    assertEquals("hi all", carol.expect(10).getString("msg"));
    JsonObject ack = pair.alice().expect(14);
    assertEquals(2, ack.getInteger("delivered"));
    assertEquals(1, ack.getInteger("stored"));
    JsonArray offline = on(0).login(d, "pw").getJsonArray("offlinemsg");
    assertEquals("hi all", new JsonObject(offline.getString(0)).getString("msg"));
  }

  @Test
  void duplicateLoginAcrossNodesIsRefused() {
    TestClient first = on(0);
    long id = first.registerAndLogin("once");
    // the classic client's rule: one session per user, cluster-wide
    assertEquals(2, on(1).legacyLogin(id, "pw-once").getInteger("errno"));
    assertEquals(2, on(2).legacyLogin(id, "pw-once").getInteger("errno"));
    first.send(new JsonObject().put("msgid", 3).put("seq", 1));
    first.expect(15);
    assertEquals(0, on(1).login(id, "pw-once").getInteger("errno"));
  }

  @Test
  void simultaneousLoginsOnTwoNodesExactlyOneWins() {
    for (int round = 0; round < 10; round++) {
      long id = on(0).register(TestClient.uniqueName("race"), "pw");
      TestClient x = on(0);
      TestClient y = on(1);
      // classic logins: one place per user, so of two racing for it exactly one wins
      CompletableFuture<JsonObject> ax = CompletableFuture.supplyAsync(() -> x.legacyLogin(id, "pw"));
      CompletableFuture<JsonObject> ay = CompletableFuture.supplyAsync(() -> y.legacyLogin(id, "pw"));
      int won = (ax.join().getInteger("errno") == 0 ? 1 : 0) + (ay.join().getInteger("errno") == 0 ? 1 : 0);
      assertEquals(1, won, "round " + round + ": " + ax.join().encode() + " / " + ay.join().encode());
      assertTrue(ax.join().getInteger("errno") == 2 || ay.join().getInteger("errno") == 2);
    }
  }

  @Test
  void presenceOfFriendsAndMembersIsClusterWide() {
    TwoUsers pair = TwoUsers.loggedIn(on(0), on(1));
    pair.alice().send(new JsonObject().put("msgid", 7).put("friendid", pair.bobId()).put("seq", 1));
    pair.alice().expect(11);
    pair.alice().send(new JsonObject().put("msgid", 3).put("seq", 2));
    pair.alice().expect(15);
    JsonObject login = on(2).login(pair.aliceId(), "pw-alice");
    assertEquals("online", new JsonObject(login.getJsonArray("friends").getString(0)).getString("state"));
    pair.bob().send(new JsonObject().put("msgid", 3).put("seq", 3));
    pair.bob().expect(15);
    TestClient again = on(2);
    long c = again.registerAndLogin("carol");
    again.send(new JsonObject().put("msgid", 7).put("friendid", pair.bobId()).put("seq", 4));
    again.expect(11);
    again.send(new JsonObject().put("msgid", 3).put("seq", 5));
    again.expect(15);
    JsonObject carol = again.login(c, "pw-carol");
    assertEquals("offline", new JsonObject(carol.getJsonArray("friends").getString(0)).getString("state"));
  }

  @Test
  void aNodeStoppedGracefullyLeavesOtherNodesUsersAlone() {
    TwoUsers pair = TwoUsers.loggedIn(on(0), on(1));
    cluster.node(0).stopNode();
    // bob is untouched: still logged in and reachable from node 2, still unique
    TestClient carol = on(2);
    carol.registerAndLogin("carol");
    carol.chat(pair.bobId(), "still here?", 1);
    assertEquals("still here?", pair.bob().expect(6).getString("msg"));
    assertEquals("delivered", carol.expect(14).getString("status"));
    assertEquals(2, on(2).legacyLogin(pair.bobId(), "pw-bob").getInteger("errno"));
    // alice's node released her at once
    assertEquals(0, on(2).legacyLogin(pair.aliceId(), "pw-alice").getInteger("errno"));
  }
}
