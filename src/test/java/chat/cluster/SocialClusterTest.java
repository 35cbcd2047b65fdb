package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static chat.testing.V2.ALL_CAPS;
import static chat.testing.V2.assertSocial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Social changes across nodes, with the default {@code sessions.maxPerUser} of 1 (the legacy rule):
 * each change made on one node reaches the users concerned on the other as a SOCIAL event, and what
 * CARD, FIND_USER and logins say follows it; CHANGE_PASSWORD revokes tokens wherever they are used.
 */
class SocialClusterTest {
  private static final JsonObject CONFIG = new JsonObject()
      .put("passwordHashing", new JsonObject().put("memoryKiB", 8).put("iterations", 1));
  private static final Duration QUIET = Duration.ofMillis(300);

  private record Person(TestClient c, long id, String name) {
  }

  private static Person person(TestCluster cluster, int node, String prefix, String... caps) {
    TestClient c = cluster.node(node).connect();
    String name = TestClient.uniqueName(prefix);
    long id = c.register(name, "pw");
    V2.loginOk(c, id, "pw", caps);
    return new Person(c, id, name);
  }

  @Test
  void friendsAddedAndRemovedOnOneNodeAreToldOnTheOther() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG)) {
      Person alice = person(cluster, 0, "alice", ALL_CAPS);
      Person bob = person(cluster, 1, "bob", ALL_CAPS);
      try {
        V2.befriend(alice.c(), bob.id());
        assertSocial(bob.c().expect(44), "friend_added", alice.id(), alice.name(), null);
        alice.c().expectSilence(QUIET);
        assertEquals("online", V2.friendState(V2.card(bob.c()), alice.id()));
        assertEquals("online", V2.friendState(V2.card(alice.c()), bob.id()));

        alice.c().chat(bob.id(), "hello across", 1);
        assertEquals("delivered", alice.c().expect(14).getString("status"));
        bob.c().expect(6);

        bob.c().send(new JsonObject().put("msgid", 40).put("friendid", alice.id()).put("seq", "rm"));
        assertEquals(alice.id(), bob.c().expect(41).getLong("friendid"));
        assertSocial(alice.c().expect(44), "friend_removed", bob.id(), bob.name(), null);
        assertTrue(V2.friends(V2.card(alice.c())).isEmpty());
        assertTrue(V2.friends(V2.card(bob.c())).isEmpty());

        // no presence between former friends; their history stays
        bob.c().send(new JsonObject().put("msgid", 3).put("seq", "out"));
        bob.c().expect(15);
        alice.c().expectSilence(QUIET);
        TestClient bobAgain = cluster.node(0).connect();
        V2.loginOk(bobAgain, bob.id(), "pw", ALL_CAPS);
        alice.c().expectSilence(QUIET);
        JsonObject history = V2.sync(bobAgain, new JsonObject().put("conv", V2.pair(alice.id(), bob.id())));
        assertEquals(List.of("hello across"), V2.texts(history));
        bobAgain.close();
      } finally {
        alice.c().close();
        bob.c().close();
      }
    }
  }

  @Test
  void groupChangesOnEachNodeAreToldToTheMembersOnEveryNode() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG)) {
      Person alice = person(cluster, 0, "alice", "social");
      Person bob = person(cluster, 1, "bob", "social");
      Person carol = person(cluster, 0, "carol", "social");
      Person outsider = person(cluster, 1, "outsider", "social");
      try {
        long g = V2.createGroup(alice.c(), "across");
        V2.join(bob.c(), g);
        assertSocial(alice.c().expect(44), "member_joined", bob.id(), bob.name(), g);
        nextMillisecond();
        V2.join(carol.c(), g);
        assertSocial(alice.c().expect(44), "member_joined", carol.id(), carol.name(), g);
        assertSocial(bob.c().expect(44), "member_joined", carol.id(), carol.name(), g);

        alice.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "before").put("seq", 1));
        alice.c().expect(14);
        bob.c().expect(10);
        carol.c().expect(10);

        // the creator (node 0) leaves: the longest member (bob, node 1) takes over, both nodes are told
        JsonObject left = V2.leave(alice.c(), g);
        assertEquals(43, left.getInteger("msgid"), left::encode);
        assertFalse(left.getBoolean("ended", false));
        for (Person p : List.of(bob, carol)) {
          JsonObject event = p.c().expect(44);
          assertSocial(event, "member_left", alice.id(), alice.name(), g);
          assertEquals(bob.id(), event.getLong("creator"), event::encode);
        }
        Map<Long, String> roles = roles(V2.card(carol.c()));
        assertEquals(Map.of(bob.id(), "creator", carol.id(), "normal"), roles);

        bob.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "after").put("seq", 2));
        JsonObject ack = bob.c().expect(14);
        assertEquals(1, ack.getInteger("delivered"), "alice is no member: " + ack.encode());
        assertEquals("after", carol.c().expect(10).getString("msg"));
        alice.c().expectSilence(QUIET);
        assertEquals(List.of("before"), V2.texts(V2.sync(alice.c(), new JsonObject().put("conv", "g:" + g))));

        // the new creator (node 1) leaves: carol (node 0) is told, and is the creator
        assertEquals(43, V2.leave(bob.c(), g).getInteger("msgid"));
        JsonObject event = carol.c().expect(44);
        assertSocial(event, "member_left", bob.id(), bob.name(), g);
        assertEquals(carol.id(), event.getLong("creator"), event::encode);
        JsonObject ended = V2.leave(carol.c(), g);
        assertTrue(ended.getBoolean("ended", false), ended::encode);
        outsider.c().send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", "join"));
        outsider.c().expectError(106);
        for (Person p : List.of(alice, bob, carol, outsider)) {
          p.c().expectSilence(Duration.ofMillis(100));
        }
      } finally {
        List.of(alice, bob, carol, outsider).forEach(p -> p.c().close());
      }
    }
  }

  @Test
  void changePasswordOnOneNodeRevokesTheTokensUsedOnTheOther() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TestClient onNode1 = cluster.node(1).connect();
         TestClient onNode0 = cluster.node(0).connect();
         TestClient back = cluster.node(1).connect()) {
      long id = onNode1.register(TestClient.uniqueName("mover"), "old");
      String oldToken = V2.loginOk(onNode1, id, "old").getString("token");
      onNode1.close();
      JsonObject login = TestClient.retryWhileInUse(() -> V2.login(onNode0, id, "old"));
      assertEquals(0, login.getInteger("errno"), login::encode);
      String keptToken = login.getString("token");
      assertEquals(2, V2.login(back, id, "old").getInteger("errno"), "one session at a time, across nodes");

      onNode0.send(new JsonObject().put("msgid", 49).put("password", "old").put("newpassword", "new").put("seq", "chg"));
      JsonObject ack = onNode0.expect(50);
      assertEquals(0, ack.getInteger("errno"), ack::encode);
      onNode0.close();

      JsonObject revoked = TestClient.retryWhileInUse(() -> V2.tokenLogin(back, id, oldToken));
      assertEquals(1, revoked.getInteger("errno"), "revoked on the other node too: " + revoked.encode());
      assertEquals(1, V2.login(back, id, "old").getInteger("errno"));
      JsonObject kept = V2.tokenLogin(back, id, keptToken);
      assertEquals(0, kept.getInteger("errno"), "the caller's token works on any node: " + kept.encode());
    }
  }

  @Test
  void findUserAndCardShowWhoIsOnlineOnAnyNode() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG)) {
      Person seeker = person(cluster, 0, "seeker");
      String prefix = TestClient.uniqueName("Findme");
      TestClient target = cluster.node(1).connect();
      long id = target.register(prefix + "-target", "pw");
      try {
        assertEquals("offline", state(find(seeker.c(), prefix.toLowerCase()), id));
        V2.loginOk(target, id, "pw");
        assertEquals("online", state(find(seeker.c(), prefix.toUpperCase()), id), "online on the other node");
        V2.befriend(seeker.c(), id);
        assertEquals("online", V2.friendState(V2.card(seeker.c()), id));
        target.send(new JsonObject().put("msgid", 3).put("seq", "out"));
        target.expect(15);
        // LOGINOUT is answered once the session's place is given back
        assertEquals("offline", state(find(seeker.c(), prefix), id));
        assertEquals("offline", V2.friendState(V2.card(seeker.c()), id));
      } finally {
        seeker.c().close();
        target.close();
      }
    }
  }

  @Test
  void theLegacyRuleHoldsAcrossNodesAndLegacySessionsGetNoneOfTheNewPushes() {
    try (TestCluster cluster = TestCluster.start(2);
         TestClient alice = cluster.node(0).connect();
         TestClient legacyBob = cluster.node(1).connect();
         TestClient elsewhere = cluster.node(0).connect()) {
      long a = alice.register(TestClient.uniqueName("alice"), "pw");
      long b = alice.register(TestClient.uniqueName("bob"), "pw");
      assertEquals(0, legacyBob.legacyLogin(b, "pw").getInteger("errno"));
      JsonObject refused = elsewhere.legacyLogin(b, "pw");
      assertEquals(2, refused.getInteger("errno"), "maxPerUser 1: a second login anywhere is refused: " + refused.encode());

      V2.loginOk(alice, a, "pw", ALL_CAPS);
      V2.befriend(alice, b);
      long g = V2.createGroup(alice, "classic");
      // a classic client may still ask for an ack with a seq; it stays a legacy session
      legacyBob.send(new JsonObject().put("msgid", 9).put("id", b).put("groupid", g).put("seq", 1));
      assertEquals(g, legacyBob.expect(13).getLong("groupid"));
      alice.send(new JsonObject().put("msgid", 3).put("seq", "out"));
      alice.expectIgnoring(15, 44);
      V2.loginOk(alice, a, "pw", ALL_CAPS);
      assertEquals(43, V2.leave(alice, g).getInteger("msgid"));
      alice.chat(b, "classic shape", 1);
      alice.expect(14);
      JsonObject got = legacyBob.expect(6);
      assertEquals(Set.of("msgid", "id", "name", "toid", "msg", "time"), got.fieldNames(), got::encode);
      legacyBob.expectSilence(QUIET);
    }
  }

  // --- helpers ---

  private static JsonObject find(TestClient c, String prefix) {
    c.send(new JsonObject().put("msgid", 45).put("name", prefix).put("seq", "find"));
    return c.expect(46);
  }

  private static String state(JsonObject findAck, long id) {
    Predicate<Object> isId = u -> ((JsonObject) u).getLong("id") == id;
    return findAck.getJsonArray("users").stream().filter(isId).map(u -> ((JsonObject) u).getString("state"))
        .findFirst().orElseThrow(() -> new AssertionError("user " + id + " not found: " + findAck.encode()));
  }

  private static Map<Long, String> roles(JsonObject card) {
    List<JsonObject> groups = V2.groups(card);
    assertEquals(1, groups.size(), card::encode);
    Map<Long, String> out = new HashMap<>();
    groups.get(0).getJsonArray("users").forEach(u -> out.put(((JsonObject) u).getLong("id"), ((JsonObject) u).getString("role")));
    return out;
  }

  private static void nextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) {
      Thread.onSpinWait();
    }
  }
}
