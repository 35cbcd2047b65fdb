package chat.cluster;

import chat.testing.NodeProcess;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Durable conversations across nodes: one numbering, every live stream in order, resends after a crash. */
class ConversationClusterTest {
  private static final JsonObject UNLIMITED = new JsonObject().put("limits", new JsonObject()
      .put("messagesPerSecond", 1_000_000).put("messageBurst", 1_000_000));

  @Test
  void twoSendersOnTwoNodesToOneGroupAndEveryLiveStreamIsGapFree() {
    int each = 1000;
    try (TestCluster cluster = TestCluster.start(2, UNLIMITED);
         TestClient senderA = cluster.node(0).connect();
         TestClient senderB = cluster.node(1).connect();
         TestClient onNode0 = cluster.node(0).connect();
         TestClient onNode1 = cluster.node(1).connect()) {
      senderA.registerAndLogin("sender-a");
      senderB.registerAndLogin("sender-b");
      onNode0.registerAndLogin("member-0");
      onNode1.registerAndLogin("member-1");
      senderA.send(new JsonObject().put("msgid", 8).put("groupname", "busy").put("seq", "g"));
      long group = senderA.expect(12).getLong("groupid");
      for (TestClient member : List.of(senderB, onNode0, onNode1)) {
        member.send(new JsonObject().put("msgid", 9).put("groupid", group).put("seq", "j"));
        member.expect(13);
      }
      CompletableFuture<List<Long>> acksA = CompletableFuture.supplyAsync(() -> sendGroup(senderA, group, "a", each));
      CompletableFuture<List<Long>> acksB = CompletableFuture.supplyAsync(() -> sendGroup(senderB, group, "b", each));
      for (TestClient member : List.of(onNode0, onNode1)) {
        for (long expected = 1; expected <= 2 * each; expected++) {
          JsonObject m = member.expect(10);
          assertEquals(expected, m.getLong("cseq"), "gap-free and strictly increasing: " + m.encode());
        }
      }
      // each sender sees the other's messages in order, and their own numbers fill the rest
      List<Long> ownA = acksA.join();
      List<Long> ownB = acksB.join();
      assertStreamWithOwn(senderA, ownA, 2 * each);
      assertStreamWithOwn(senderB, ownB, 2 * each);
    }
  }

  @Test
  void aSessionDroppedMidStreamCatchesUpWithSyncAfterItsLastCseq() {
    try (TestCluster cluster = TestCluster.start(2, UNLIMITED);
         TestClient alice = cluster.node(0).connect();
         TestClient bob = cluster.node(1).connect()) {
      TwoUsers pair = TwoUsers.loggedIn(alice, bob);
      int total = 400;
      for (int i = 0; i < total; i++) {
        alice.chat(pair.bobId(), "m" + i, i);
      }
      long lastSeen = 0;
      Set<String> received = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        JsonObject m = bob.expect(6);
        lastSeen = m.getLong("cseq");
        received.add(m.getString("msg"));
      }
      bob.close();
      for (int i = 0; i < total; i++) {
        alice.expect(14);
      }
      TestClient again = cluster.node(0).connect();
      JsonObject login = TestClient.retryWhileInUse(() -> again.login(pair.bobId(), "pw-bob"));
      assertEquals(0, login.getInteger("errno"), login::encode);
      String conv = "p:" + Math.min(pair.aliceId(), pair.bobId()) + ":" + Math.max(pair.aliceId(), pair.bobId());
      long after = lastSeen;
      boolean more = true;
      while (more) {
        again.send(new JsonObject().put("msgid", 30).put("conv", conv).put("after", after).put("limit", 100)
            .put("seq", "s"));
        JsonObject page = again.expect(31);
        for (Object o : page.getJsonArray("msgs")) {
          JsonObject m = (JsonObject) o;
          assertEquals(after + 1, m.getLong("cseq"), "no gap");
          after = m.getLong("cseq");
          received.add(m.getString("msg"));
        }
        more = page.getBoolean("more");
      }
      assertEquals(total, received.size(), "nothing missing");
      assertEquals(total, after);
      again.close();
    }
  }

  @Test
  void resendsWithTheirCmidAfterTheSendersNodeIsKilledArriveExactlyOnceInOrder() {
    JsonObject shortLease = UNLIMITED.copy().put("broker", new JsonObject().put("leaseSeconds", 2));
    int total = 300;
    try (TestCluster cluster = TestCluster.start(1, shortLease)) {
      int port = TestNode.freePort();
      JsonObject conf = cluster.joinConfig().put("host", "127.0.0.1").put("ports", new JsonArray().add(port))
          .put("node", new JsonObject().put("id", "doomed")).put("limits", UNLIMITED.getJsonObject("limits"));
      conf.getJsonObject("broker").put("leaseSeconds", 2);
      try (NodeProcess doomed = NodeProcess.start(conf, Map.of());
           TestClient alice = TestClient.connect(port);
           TestClient bob = cluster.node(0).connect()) {
        long a = alice.registerAndLogin("alice");
        long b = bob.registerAndLogin("bob");
        Map<Integer, Long> acked = new HashMap<>();
        for (int i = 0; i < total; i++) {
          alice.send(chat(b, i));
          if (i == 150) {
            doomed.kill();
            break;
          }
        }
        // what was answered before the node died
        JsonObject m;
        try {
          while ((m = alice.nextWithin(Duration.ofSeconds(2))) != null) {
            if (m.getInteger("msgid") == 14) {
              acked.put(m.getInteger("seq"), m.getLong("cseq"));
            }
          }
        } catch (AssertionError closed) {
          // the connection died with its node
        }

        // the client moves to the node that is left and resends everything not acknowledged
        TestClient moved = cluster.node(0).connect();
        JsonObject login = TestClient.retryWhileInUse(() -> moved.login(a, "pw-alice"), Duration.ofSeconds(20));
        assertEquals(0, login.getInteger("errno"), login::encode);
        List<Integer> resent = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          if (!acked.containsKey(i)) {
            moved.send(chat(b, i));
            resent.add(i);
          }
        }
        for (int i = 0; i < resent.size(); i++) {
          JsonObject ack = moved.expect(14);
          acked.put(ack.getInteger("seq"), ack.getLong("cseq"));
        }
        assertEquals(total, acked.size());

        // bob's log: every message once, numbered 1..total without a gap
        String conv = "p:" + Math.min(a, b) + ":" + Math.max(a, b);
        Set<String> texts = new HashSet<>();
        long after = 0;
        boolean more = true;
        while (more) {
          bob.send(new JsonObject().put("msgid", 30).put("conv", conv).put("after", after).put("limit", 500)
              .put("seq", "s"));
          JsonObject page = bob.expectIgnoring(31, 6);
          for (Object o : page.getJsonArray("msgs")) {
            JsonObject entry = (JsonObject) o;
            assertEquals(after + 1, entry.getLong("cseq"), "no gap");
            after = entry.getLong("cseq");
            assertTrue(texts.add(entry.getString("msg")), "once only: " + entry.getString("msg"));
          }
          more = page.getBoolean("more");
        }
        assertEquals(total, texts.size(), "every message");
        assertEquals(total, after);
        moved.close();
      }
    }
  }

  private static JsonObject chat(long to, int i) {
    return new JsonObject().put("msgid", 6).put("toid", to).put("msg", "m" + i).put("cmid", "alice-" + i).put("seq", i);
  }

  /** Sends {@code count} group messages pipelined; returns the cseqs of their acks. */
  private static List<Long> sendGroup(TestClient sender, long group, String tag, int count) {
    for (int i = 0; i < count; i++) {
      sender.send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", tag + i).put("seq", tag + i));
    }
    List<Long> own = new ArrayList<>();
    while (own.size() < count) {
      JsonObject m = sender.expectIgnoring(14, 10);
      own.add(m.getLong("cseq"));
    }
    return own;
  }

  /** The sender's live stream and their own numbers: together every number once, the stream in order. */
  private static void assertStreamWithOwn(TestClient sender, List<Long> own, int total) {
    Set<Long> all = new HashSet<>(own);
    long previous = 0;
    for (JsonObject m : sender.drained(10)) {
      assertTrue(m.getLong("cseq") > previous, "strictly increasing");
      previous = m.getLong("cseq");
      assertTrue(all.add(previous), "no repeat");
    }
    while (all.size() < total) {
      JsonObject m = sender.expect(10);
      assertTrue(m.getLong("cseq") > previous, "strictly increasing");
      previous = m.getLong("cseq");
      assertTrue(all.add(previous), "no repeat");
    }
    assertEquals(total, all.size());
  }
}
