package chat.cluster;

import chat.testing.Lifecycle;
import chat.testing.Person;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.V2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocks, edits and recalls across nodes (PROTOCOL.md, "Privacy and the message lifecycle"), on the
 * store nodes share (MariaDB): a block is enforced by the sessions on every node once it is
 * acknowledged; changes reach sessions on other nodes live, and offline ones through SYNC and
 * {@code offlinemsg}; and over random interleavings of sends, edits, recalls and reconnects, a
 * client that syncs from any point ends with the view of one that was online throughout, which is
 * also how the log serves its messages.
 */
class LifecycleClusterTest {
  private static final JsonObject CONFIG = TestNode.cheapPasswordHashing()
      .put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messageBurst", 100_000));
  private static final JsonObject SEVERAL = CONFIG.copy().put("sessions", new JsonObject().put("maxPerUser", 3));
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final Duration BOUND = Duration.ofSeconds(20);

  @Test
  void aBlockIsEnforcedAtOnceWhereverTheBlockedUserIsEvenJustMoved() {
    try (TestCluster cluster = TestCluster.start(3, CONFIG);
         Person alice = Person.loggedIn(cluster.node(0).connect(), "alice", Lifecycle.CAPS);
         Person bob = Person.loggedIn(cluster.node(2).connect(), "bob", Lifecycle.CAPS);
         TestClient aliceMoved = cluster.node(1).connect()) {
      // bob's node last saw alice on node 0, then she moves to node 1
      bob.c().chatDelivered(alice.id(), "hi", 1);
      alice.c().expect(6);
      V2.logout(alice.c());
      assertEquals(0, TestClient.retryWhileInUse(() -> V2.login(aliceMoved, alice.id(), "pw", Lifecycle.CAPS))
          .getInteger("errno"));

      Lifecycle.block(bob.c(), alice.id());
      aliceMoved.chat(bob.id(), "refused", 2);
      aliceMoved.expectError(105);
      aliceMoved.send(new JsonObject().put("msgid", 7).put("friendid", bob.id()).put("seq", "add"));
      aliceMoved.expectError(105);
      bob.c().expectSilence(QUIET);

      Lifecycle.unblock(bob.c(), alice.id());
      aliceMoved.chatDelivered(bob.id(), "welcome back", 3);
      assertEquals("welcome back", bob.c().expect(6).getString("msg"));
    }
  }

  @Test
  void everySessionOfBothUsersOnEveryNodeEnforcesABlock() {
    try (TestCluster cluster = TestCluster.start(2, SEVERAL);
         Person alice = Person.loggedIn(cluster.node(0).connect(), "alice", Lifecycle.CAPS);
         Person bob = Person.loggedIn(cluster.node(1).connect(), "bob", Lifecycle.CAPS);
         TestClient bobOnNode0 = cluster.node(0).connect()) {
      V2.loginOk(bobOnNode0, bob.id(), "pw", Lifecycle.CAPS);
      Lifecycle.block(bob.c(), alice.id());
      alice.c().chat(bob.id(), "refused", 1);
      alice.c().expectError(105);
      bobOnNode0.chat(alice.id(), "refused too", 2);
      assertTrue(bobOnNode0.expectError(105).getString("errmsg").contains("unblock"));
      assertEquals(new JsonArray().add(alice.id()), V2.card(bobOnNode0).getJsonArray("blocked"));
      Lifecycle.unblock(bobOnNode0, alice.id());
      bob.c().chatDelivered(alice.id(), "ok again", 3);
      assertEquals("ok again", alice.c().expect(6).getString("msg"));
    }
  }

  @Test
  void changesReachSessionsOnTheOtherNodeLiveAndOfflineOnesAtLogin() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         Person alice = Person.loggedIn(cluster.node(0).connect(), "alice", Lifecycle.CAPS);
         Person bob = Person.loggedIn(cluster.node(1).connect(), "bob", Lifecycle.CAPS);
         Person carol = Person.loggedIn(cluster.node(1).connect(), "carol", Lifecycle.CAPS)) {
      long g = alice.createGroupJoinedBy("across", bob, carol);
      String conv = "g:" + g;
      V2.logout(carol.c());
      for (String text : List.of("m1", "m2")) {
        alice.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", text).put("seq", text));
        alice.c().expect(14);
        bob.c().expect(10);
      }
      Lifecycle.acked(Lifecycle.edit(alice.c(), conv, 1, "m1!"), 55);
      assertTrue(Lifecycle.changed("edit", 1).test(bob.c().expect(57)));
      Lifecycle.acked(Lifecycle.recall(alice.c(), conv, 2), 56);
      assertTrue(Lifecycle.changed("recall", 2).test(bob.c().expect(57)));

      TestClient carolBack = cluster.node(0).connect();
      JsonArray offline = V2.loginOk(carolBack, carol.id(), "pw", Lifecycle.CAPS).getJsonArray("offlinemsg");
      assertEquals(2, offline.size(), offline::encode);
      assertEquals("m1!", new JsonObject(offline.getString(0)).getString("msg"));
      assertTrue(new JsonObject(offline.getString(1)).getBoolean("recalled"));
      assertEquals(List.of(1L, 2L, 3L, 4L), V2.cseqs(V2.sync(carolBack, new JsonObject().put("conv", conv))));
      carolBack.expectSilence(QUIET);
      carolBack.close();
    }
  }

  /**
   * Random sends, edits and recalls by two writers on two nodes; carol watches on one session that
   * stays online and on one that drops and logs in again (with her token, on either node) and syncs
   * after the last entry it applied. Both views end alike, and so does every view replayed from any
   * point of the history: what the online one showed up to that point, then a SYNC from there.
   */
  @Test
  void aClientThatSyncsFromAnyPointEndsWithTheViewOfOneOnlineThroughout() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String about = "seed " + seed;
    try (TestCluster cluster = TestCluster.start(2, SEVERAL);
         Person alice = Person.loggedIn(cluster.node(0).connect(), "alice", Lifecycle.CAPS);
         Person bob = Person.loggedIn(cluster.node(1).connect(), "bob", Lifecycle.CAPS);
         TestClient online = cluster.node(1).connect()) {
      long carol = online.register(TestClient.uniqueName("carol"), "pw");
      String token = V2.loginOk(online, carol, "pw", "edits").getString("token");
      long g = V2.createGroup(alice.c(), "watched");
      V2.join(bob.c(), g);
      V2.join(online, g);
      String conv = "g:" + g;
      Watcher watching = new Watcher(conv);
      Watcher dropping = new Watcher(conv);
      dropping.connect(cluster.node(0).connect(), carol, token);

      // the truth: each message's sender, and whether it is recalled
      Map<Long, Long> senders = new HashMap<>();
      Map<Long, Boolean> recalled = new HashMap<>();
      long last = 0;
      for (int step = 0; step < 80; step++) {
        Person writer = random.nextBoolean() ? alice : bob;
        List<Long> mine = senders.keySet().stream()
            .filter(c -> senders.get(c) == writer.id() && !recalled.get(c)).sorted().toList();
        List<Long> any = senders.keySet().stream().filter(c -> !recalled.get(c)).sorted().toList();
        int dice = random.nextInt(100);
        TestClient actor = writer.c();
        JsonObject request = new JsonObject().put("conv", conv).put("seq", step);
        if (dice < 10) {
          dropping.reconnect(cluster.node(random.nextInt(2)).connect(), carol, token, about);
          continue;
        } else if (dice < 30 && !mine.isEmpty()) {
          request.put("msgid", 55).put("target", pick(random, mine)).put("msg", "edit " + step);
        } else if (dice < 42 && !mine.isEmpty()) {
          request.put("msgid", 56).put("target", pick(random, mine));
        } else if (dice < 48 && !any.isEmpty()) {
          // the creator moderates
          actor = alice.c();
          request.put("msgid", 56).put("target", pick(random, any));
        } else {
          request = new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "text " + step).put("seq", step);
        }
        actor.send(request);
        // past the pushes of the others' entries that come meanwhile
        JsonObject ack = V2.await(actor, BOUND, m -> m.getInteger("msgid") == 14 || m.getInteger("msgid") == 99, null);
        String what = request.encode();
        assertEquals(14, ack.getInteger("msgid"), () -> about + ": " + what + " got " + ack.encode());
        last = ack.getLong("cseq");
        if (request.getInteger("msgid") == 10) {
          senders.put(last, writer.id());
          recalled.put(last, false);
        } else if (request.getInteger("msgid") == 56) {
          recalled.put(request.getLong("target"), true);
        }
      }

      watching.readUpTo(online, last, about);
      dropping.catchUp(last, about);
      assertEquals(watching.view, dropping.view, about);
      for (Map.Entry<Long, Boolean> m : recalled.entrySet()) {
        assertEquals(m.getValue(), watching.view.get(m.getKey()).recalled(), about + ": message " + m.getKey());
      }
      List<JsonObject> history = Watcher.history(online, conv);
      // the log serves each message as it is now, without its changes applied
      Watcher served = new Watcher(conv);
      history.stream().filter(e -> e.getInteger("msgid") == 10).forEach(served::apply);
      assertEquals(watching.view, served.view, about);
      List<Long> points = new ArrayList<>(List.of(0L, last));
      for (int i = 0; i < 10; i++) {
        points.add((long) random.nextInt((int) last + 1));
      }
      for (long point : points) {
        Watcher replay = watching.asOf(point);
        history.stream().filter(e -> e.getLong("cseq") > point).forEach(replay::apply);
        assertEquals(watching.view, replay.view, about + ": synced from " + point);
      }
      dropping.client.close();
    }
  }

  private static long pick(Random random, List<Long> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** One message as a client shows it. */
  private record Shown(String text, Long edited, boolean recalled) {
  }

  /**
   * A client's view of the conversation, applied strictly in cseq order: messages as served, and
   * CHANGED entries on their targets (an edit without text, whose target was recalled since,
   * changes nothing; recalled is final).
   */
  private static final class Watcher {
    final String conv;
    final TreeMap<Long, Shown> view = new TreeMap<>();
    /** Entries that came before the ones they follow. */
    final TreeMap<Long, JsonObject> early = new TreeMap<>();
    /** What the view was after each cseq (for the online watcher). */
    final Map<Long, TreeMap<Long, Shown>> snapshots = new HashMap<>();
    long applied;
    TestClient client;

    Watcher(String conv) {
      this.conv = conv;
      snapshots.put(0L, new TreeMap<>());
    }

    Watcher asOf(long point) {
      Watcher w = new Watcher(conv);
      w.view.putAll(snapshots.get(point));
      w.applied = point;
      return w;
    }

    void apply(JsonObject entry) {
      long cseq = entry.getLong("cseq");
      if (entry.getInteger("msgid") == 57) {
        long target = entry.getLong("target");
        Shown before = view.get(target);
        if ("recall".equals(entry.getString("kind"))) {
          view.put(target, new Shown(null, null, true));
        } else if (before != null && !before.recalled() && entry.containsKey("msg")) {
          view.put(target, new Shown(entry.getString("msg"), entry.getLong("edited"), false));
        }
      } else {
        view.put(cseq, entry.getBoolean("recalled", false) ? new Shown(null, null, true)
            : new Shown(entry.getString("msg"), entry.getLong("edited"), false));
      }
      applied = cseq;
      snapshots.put(cseq, new TreeMap<>(view));
    }

    /** An entry pushed or synced: applied in its turn, dropped if applied already. */
    void offer(JsonObject entry) {
      if (!conv.equals(entry.getString("conv")) || entry.getLong("cseq") <= applied) {
        return;
      }
      early.put(entry.getLong("cseq"), entry);
      while (!early.isEmpty() && early.firstKey() == applied + 1) {
        apply(early.pollFirstEntry().getValue());
      }
    }

    /** Reads the pushes until the entry {@code last} is applied: online, nothing may be missing. */
    void readUpTo(TestClient c, long last, String about) {
      while (applied < last) {
        JsonObject m = V2.await(c, BOUND, x -> x.getInteger("msgid") == 10 || x.getInteger("msgid") == 57, null);
        assertEquals(applied + 1, m.getLong("cseq"), about);
        offer(m);
      }
    }

    void connect(TestClient c, long user, String token) {
      client = c;
      assertEquals(0, TestClient.retryWhileInUse(() -> V2.tokenLogin(c, user, token, "edits")).getInteger("errno"));
    }

    /** Takes what arrived, drops the connection, logs in elsewhere and syncs after what it applied. */
    void reconnect(TestClient next, long user, String token, String about) {
      for (JsonObject m = client.nextWithin(Duration.ZERO); m != null; m = client.nextWithin(Duration.ZERO)) {
        offer(m);
      }
      client.close();
      connect(next, user, token);
      sync(about);
    }

    /** SYNC after the last entry applied, page by page, taking pushes that come meanwhile. */
    void sync(String about) {
      boolean more = true;
      while (more) {
        client.send(new JsonObject().put("msgid", 30).put("conv", conv).put("after", applied).put("limit", 100)
            .put("seq", "sync"));
        JsonObject ack = V2.await(client, BOUND, m -> {
          if (m.getInteger("msgid") != 31) {
            offer(m);
            return false;
          }
          return true;
        }, null);
        assertEquals(0, ack.getInteger("errno"), about);
        ack.getJsonArray("msgs").forEach(e -> offer((JsonObject) e));
        more = ack.getBoolean("more");
      }
    }

    /** Syncs once more, then takes pushes until {@code last} is applied. */
    void catchUp(long last, String about) {
      sync(about);
      while (applied < last) {
        offer(V2.await(client, BOUND, m -> m.getInteger("msgid") == 10 || m.getInteger("msgid") == 57, null));
      }
      assertFalse(applied > last, about);
    }

    /** The whole log, read with SYNC from its start. */
    static List<JsonObject> history(TestClient c, String conv) {
      List<JsonObject> all = new ArrayList<>();
      boolean more = true;
      while (more) {
        long after = all.isEmpty() ? 0 : all.get(all.size() - 1).getLong("cseq");
        c.send(new JsonObject().put("msgid", 30).put("conv", conv).put("after", after).put("limit", 100)
            .put("seq", "history"));
        JsonObject ack = V2.await(c, BOUND, m -> m.getInteger("msgid") == 31, null);
        ack.getJsonArray("msgs").forEach(e -> all.add((JsonObject) e));
        more = ack.getBoolean("more");
      }
      return all;
    }
  }
}
