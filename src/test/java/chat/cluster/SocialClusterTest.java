package chat.cluster;

import chat.testing.Person;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
 * Social changes across nodes, with {@code sessions.maxPerUser} 1 (the classic rule for everyone):
 * each change made on one node reaches the users concerned on the other as a SOCIAL event, and what
 * CARD, FIND_USER and logins say follows it; CHANGE_PASSWORD revokes tokens wherever they are used.
 */
class SocialClusterTest {
  private static final JsonObject CONFIG = TestNode.cheapPasswordHashing()
      .put("sessions", new JsonObject().put("maxPerUser", 1));
  private static final Duration QUIET = Duration.ofMillis(300);

  @Test
  void friendsAddedAndRemovedOnOneNodeAreToldOnTheOther() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         Person alice = Person.loggedIn(cluster.node(0).connect(), "alice", ALL_CAPS);
         Person bob = Person.loggedIn(cluster.node(1).connect(), "bob", ALL_CAPS)) {
      V2.befriend(alice.c(), bob.id());
      assertSocial(bob.c().expect(44), "friend_added", alice.id(), alice.name(), null);
      alice.c().expectSilence(QUIET);
      assertEquals("online", V2.friendState(V2.card(bob.c()), alice.id()));
      assertEquals("online", V2.friendState(V2.card(alice.c()), bob.id()));

      alice.c().chatDelivered(bob.id(), "hello across", 1);
      bob.c().expect(6);

      bob.c().send(new JsonObject().put("msgid", 40).put("friendid", alice.id()).put("seq", "rm"));
      assertEquals(alice.id(), bob.c().expect(41).getLong("friendid"));
      assertSocial(alice.c().expect(44), "friend_removed", bob.id(), bob.name(), null);
      assertTrue(V2.friends(V2.card(alice.c())).isEmpty());
      assertTrue(V2.friends(V2.card(bob.c())).isEmpty());

      // no presence between former friends; their history stays
      V2.logout(bob.c());
      alice.c().expectSilence(QUIET);
      TestClient bobAgain = cluster.node(0).connect();
      V2.loginOk(bobAgain, bob.id(), "pw", ALL_CAPS);
      alice.c().expectSilence(QUIET);
      JsonObject history = V2.sync(bobAgain, new JsonObject().put("conv", V2.pair(alice.id(), bob.id())));
      assertEquals(List.of("hello across"), V2.texts(history));
      bobAgain.close();
    }
  }

  @Test
  void groupChangesOnEachNodeAreToldToTheMembersOnEveryNode() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         Person alice = Person.loggedIn(cluster.node(0).connect(), "alice", "social");
         Person bob = Person.loggedIn(cluster.node(1).connect(), "bob", "social");
         Person carol = Person.loggedIn(cluster.node(0).connect(), "carol", "social");
         Person outsider = Person.loggedIn(cluster.node(1).connect(), "outsider", "social")) {
      long g = alice.createGroupJoinedBy("across", bob, carol);

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
      assertEquals(Map.of(bob.id(), "creator", carol.id(), "normal"), V2.members(V2.onlyGroup(V2.card(carol.c()))));

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
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         Person seeker = Person.loggedIn(cluster.node(0).connect(), "seeker");
         TestClient target = cluster.node(1).connect()) {
      String prefix = TestClient.uniqueName("Findme");
      long id = target.register(prefix + "-target", "pw");
      assertEquals("offline", state(V2.find(seeker.c(), prefix.toLowerCase()), id));
      V2.loginOk(target, id, "pw");
      assertEquals("online", state(V2.find(seeker.c(), prefix.toUpperCase()), id), "online on the other node");
      V2.befriend(seeker.c(), id);
      assertEquals("online", V2.friendState(V2.card(seeker.c()), id));
      V2.logout(target);
      // LOGINOUT is answered once the session's place is given back
      assertEquals("offline", state(V2.find(seeker.c(), prefix), id));
      assertEquals("offline", V2.friendState(V2.card(seeker.c()), id));
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

  /** The state of user {@code id} in a FIND_USER_ACK, which must be one and list them. */
  private static String state(JsonObject findAck, long id) {
    assertEquals(46, findAck.getInteger("msgid"), findAck::encode);
    Predicate<Object> isId = u -> ((JsonObject) u).getLong("id") == id;
    return findAck.getJsonArray("users").stream().filter(isId).map(u -> ((JsonObject) u).getString("state"))
        .findFirst().orElseThrow(() -> new AssertionError("user " + id + " not found: " + findAck.encode()));
  }
}
