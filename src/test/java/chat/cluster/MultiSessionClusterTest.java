package chat.cluster;

import chat.testing.NodeProcess;
import chat.testing.RedisProbe;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.TestRedis;
import chat.testing.V2;
import chat.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static chat.testing.V2.assertSocial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several sessions of one user on several nodes (PROTOCOL.md, "Sessions, presence and social changes
 * (v2)", {@code sessions.maxPerUser} 2): every push reaches every session, a user's own messages
 * reach their other sessions, read state follows the user, one LOGINOUT leaves the others working;
 * PRESENCE across nodes, also when a node is killed (SIGKILL, in its own JVM).
 */
class MultiSessionClusterTest {
  private static final JsonObject CONFIG = TestNode.cheapPasswordHashing()
      .put("sessions", new JsonObject().put("maxPerUser", 2))
      .put("broker", new JsonObject().put("leaseSeconds", 2))
      .put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messageBurst", 100_000));
  private static final Duration QUIET = Duration.ofMillis(300);
  /** Far beyond the 2 s lease and the 1 s renewal: the bound within which a dead node's users must be gone. */
  private static final Duration LEASE_BOUND = Duration.ofSeconds(30);

  /** A user (password "pw") connected to node 0 and to node 1; each session starts when the test logs it in. */
  private record TwoSessions(long id, TestClient node0, TestClient node1) implements AutoCloseable {
    /** Connects both and registers a user named after {@code prefix}. */
    static TwoSessions open(TestCluster cluster, String prefix) {
      TestClient node0 = cluster.node(0).connect();
      TestClient node1 = cluster.node(1).connect();
      return new TwoSessions(node0.register(TestClient.uniqueName(prefix), "pw"), node0, node1);
    }

    /** Starts both sessions, node 0's first. */
    void logInBoth(String... caps) {
      V2.loginOk(node0, id, "pw", caps);
      V2.loginOk(node1, id, "pw", caps);
    }

    List<TestClient> both() {
      return List.of(node0, node1);
    }

    @Override
    public void close() {
      node0.close();
      node1.close();
    }
  }

  @Test
  void everyMessageReachesEverySessionOnBothNodesAndOwnMessagesReachTheOtherSession() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TwoSessions alice = TwoSessions.open(cluster, "alice");
         TestClient bob = cluster.node(0).connect();
         TestClient carol = cluster.node(1).connect()) {
      long a = alice.id();
      alice.logInBoth();
      long b = bob.registerAndLogin("bob");
      long c = carol.registerAndLogin("carol");

      // from a node holding one of alice's sessions, and from the other one: both sessions get each
      for (TestClient from : List.of(bob, carol)) {
        String text = "to alice from " + (from == bob ? "bob" : "carol");
        JsonObject ack = from.chatDelivered(a, text, "s");
        for (TestClient session : alice.both()) {
          String where = session == alice.node0() ? "alice's session on node 0" : "alice's session on node 1";
          JsonObject got = expect(session, 6, where + " gets \"" + text + "\"");
          assertEquals(text, got.getString("msg"), got::encode);
          assertEquals(ack.getLong("mid"), got.getLong("mid"));
          assertEquals(ack.getLong("cseq"), got.getLong("cseq"));
        }
      }

      // alice writes from node 0: bob gets it, her session on node 1 gets it too, the sender only its ack
      assertOwnMessageEchoes(alice.node0(), alice.node1(), bob, a, b, "alice to bob");
      // and from node 1: carol gets it, her session on node 0 too
      assertOwnMessageEchoes(alice.node1(), alice.node0(), carol, a, c, "alice to carol");

      long g = V2.createGroup(alice.node0(), "both nodes");
      V2.join(bob, g);
      V2.join(carol, g);
      groupChat(carol, g, "carol to the group", bob, alice.node0(), alice.node1());
      JsonObject ack = groupChat(alice.node1(), g, "alice to the group", bob, carol, alice.node0());
      assertEquals(2, ack.getInteger("delivered"), ack::encode);
      assertEquals(0, ack.getInteger("stored"), ack::encode);
      for (TestClient quiet : List.of(alice.node0(), alice.node1(), bob, carol)) {
        quiet.expectSilence(QUIET);
      }
    }
  }

  @Test
  void readStateFollowsTheUserAcrossSessionsAndNodes() {
    // bob on a third node: his messages reach alice's two sessions from elsewhere
    try (TestCluster cluster = TestCluster.start(3, CONFIG);
         TwoSessions alice = TwoSessions.open(cluster, "alice");
         TestClient bob = cluster.node(2).connect()) {
      long a = alice.id();
      long b = bob.register(TestClient.uniqueName("bob"), "pw");
      alice.logInBoth("receipts");
      V2.loginOk(bob, b, "pw", "receipts");
      String conv = V2.pair(a, b);
      for (int i = 1; i <= 3; i++) {
        bob.chatDelivered(a, "m" + i, i);
        assertEquals(i, expect(alice.node0(), 6, "alice's session on node 0 gets m" + i).getLong("cseq"));
        assertEquals(i, expect(alice.node1(), 6, "alice's session on node 1 gets m" + i).getLong("cseq"));
      }

      read(alice.node0(), conv, 2, 2);
      assertReceipt(expect(bob, 36, "the peer's RECEIPT"), conv, a, 2);
      assertReceipt(expect(alice.node1(), 36, "the reader's other session's RECEIPT"), conv, a, 2);
      alice.node0().expectSilence(QUIET);
      assertEquals(1, unread(alice.node1(), conv), "the other session sees what was read");

      read(alice.node1(), conv, 3, 3);
      assertReceipt(expect(alice.node0(), 36, "the reader's other session's RECEIPT"), conv, a, 3);
      assertReceipt(expect(bob, 36, "the peer's RECEIPT"), conv, a, 3);
      assertEquals(0, unread(alice.node0(), conv));
      // the cursor only moves forward, whichever session asks
      read(alice.node0(), conv, 1, 3);
    }
  }

  @Test
  void oneLogoutLeavesTheOtherSessionWorkingAndTheLimitHoldsAcrossNodes() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TwoSessions alice = TwoSessions.open(cluster, "alice");
         TestClient bob = cluster.node(1).connect();
         TestClient third = cluster.node(0).connect();
         TestClient fourth = cluster.node(1).connect()) {
      long a = alice.id();
      long b = bob.register(TestClient.uniqueName("bob"), "pw");
      String token0 = V2.loginOk(alice.node0(), a, "pw").getString("token");
      V2.befriend(alice.node0(), b);
      V2.loginOk(bob, b, "pw", "presence");
      String token1 = V2.loginOk(alice.node1(), a, "pw").getString("token");
      assertNotEquals(token0, token1, "each session has its own token");

      // two sessions are the limit, wherever the next one tries
      assertEquals(2, V2.login(third, a, "pw").getInteger("errno"));
      assertEquals(2, V2.tokenLogin(fourth, a, token0).getInteger("errno"));

      assertEquals("out", V2.logout(alice.node0()).getString("seq"));
      assertEquals(1, V2.tokenLogin(fourth, a, token0).getInteger("errno"), "LOGINOUT revoked that session's token");

      bob.chatDelivered(a, "still there?", 1);
      assertEquals("still there?", alice.node1().expect(6).getString("msg"));
      alice.node1().chat(b, "yes", 2);
      alice.node1().expect(14);
      JsonObject next = bob.next();
      assertEquals(6, next.getInteger("msgid"), "no PRESENCE while a session lives: " + next.encode());
      assertEquals("yes", next.getString("msg"));

      // the place the node-0 session gave back can be taken again; the node-1 session's token was never revoked
      V2.loginOk(third, a, "pw");
      alice.node1().close();
      JsonObject again = TestClient.retryWhileInUse(() -> V2.tokenLogin(fourth, a, token1));
      assertEquals(0, again.getInteger("errno"), again::encode);
      bob.expectSilence(QUIET);
    }
  }

  @Test
  void presenceReachesFriendsOnEveryNodeOnTheFirstSessionUpAndTheLastDown() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TwoSessions alice = TwoSessions.open(cluster, "alice");
         TestClient bob = cluster.node(1).connect();
         TestClient carol = cluster.node(0).connect();
         TestClient dave = cluster.node(1).connect();
         TestClient plain = cluster.node(0).connect()) {
      long a = alice.id();
      long b = bob.register(TestClient.uniqueName("bob"), "pw");
      long c = carol.register(TestClient.uniqueName("carol"), "pw");
      long d = dave.register(TestClient.uniqueName("dave"), "pw");
      long p = plain.register(TestClient.uniqueName("plain"), "pw");
      V2.loginOk(alice.node0(), a, "pw");
      V2.befriend(alice.node0(), b);
      V2.befriend(alice.node0(), c);
      V2.befriend(alice.node0(), p);
      V2.logout(alice.node0());
      V2.loginOk(bob, b, "pw", "presence");
      V2.loginOk(carol, c, "pw", "presence");
      V2.loginOk(dave, d, "pw", "presence"); // not a friend
      V2.loginOk(plain, p, "pw", "receipts"); // a friend who did not ask for presence
      List<TestClient> friends = List.of(bob, carol);

      // the first session up: every friend who asked, on both nodes (her leaving a moment ago may
      // still be told first: presence is told a window late)
      V2.loginOk(alice.node0(), a, "pw");
      friends.forEach(f -> V2.await(f, TestClient.TIMEOUT, V2.presence(a, "online"), null));
      // a second one: nothing
      V2.loginOk(alice.node1(), a, "pw");
      assertNextIsChatFrom(alice.node1(), a, friends, List.of(b, c), "second session");

      // one of two gone (its connection dropped): nothing
      alice.node0().close();
      await(() -> RedisProbe.sessionsOf(cluster.redis(), a) == 1, Duration.ofSeconds(10),
          "the node-0 session's place released");
      assertNextIsChatFrom(alice.node1(), a, friends, List.of(b, c), "one session left");

      // the last one down: every friend, on both nodes
      V2.logout(alice.node1());
      friends.forEach(f -> V2.expectPresence(f, a, "offline"));
      // and up again, from the other node
      V2.loginOk(alice.node1(), a, "pw");
      friends.forEach(f -> V2.expectPresence(f, a, "online"));
      for (TestClient quiet : List.of(bob, carol, dave, plain)) {
        quiet.expectSilence(QUIET);
      }
    }
  }

  @Test
  void socialEventsReachEverySessionOfTheUserOnEveryNode() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TestClient alice = cluster.node(0).connect();
         TwoSessions bob = TwoSessions.open(cluster, "bob");
         TestClient carol = cluster.node(1).connect()) {
      String aliceName = TestClient.uniqueName("alice");
      String carolName = TestClient.uniqueName("carol");
      long a = alice.register(aliceName, "pw");
      long b = bob.id();
      long c = carol.register(carolName, "pw");
      V2.loginOk(alice, a, "pw", "social");
      bob.logInBoth("social");
      V2.loginOk(carol, c, "pw", "social");

      V2.befriend(alice, b);
      assertSocial(expect(bob.node0(), 44, "bob's session on alice's node"), "friend_added", a, aliceName, null);
      assertSocial(expect(bob.node1(), 44, "bob's session on the other node"), "friend_added", a, aliceName, null);
      long g = V2.createGroup(alice, "sessions");
      V2.join(bob.node0(), g);
      assertSocial(alice.expect(44), "member_joined", b, null, g);
      V2.join(carol, g);
      for (TestClient s : List.of(alice, bob.node0(), bob.node1())) {
        assertSocial(s.expect(44), "member_joined", c, carolName, g);
      }
      alice.send(new JsonObject().put("msgid", 40).put("friendid", b).put("seq", "unfriend"));
      alice.expect(41);
      for (TestClient s : bob.both()) {
        assertSocial(s.expect(44), "friend_removed", a, aliceName, null);
      }
      assertEquals(43, V2.leave(alice, g).getInteger("msgid"));
      for (TestClient s : List.of(bob.node0(), bob.node1(), carol)) {
        JsonObject left = s.expect(44);
        assertSocial(left, "member_left", a, aliceName, g);
        assertEquals(b, left.getLong("creator"), left::encode);
      }
    }
  }

  @Test
  void aKilledNodeHoldingOneOfTwoSessionsLeavesTheOtherWorkingAndFriendsToldNothing() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG)) {
      int port = TestNode.freePort();
      try (NodeProcess doomed = NodeProcess.start(doomedConfig(cluster, port), Map.of());
           TestClient onDoomed = TestClient.connect(port);
           TestClient survivor = cluster.node(1).connect();
           TestClient bob = cluster.node(0).connect();
           TestClient later = cluster.node(0).connect()) {
        long a = bob.register(TestClient.uniqueName("alice"), "pw");
        long b = bob.register(TestClient.uniqueName("bob"), "pw");
        V2.loginOk(onDoomed, a, "pw");
        V2.befriend(onDoomed, b);
        V2.loginOk(survivor, a, "pw");
        V2.loginOk(bob, b, "pw", V2.ALL_CAPS);
        bob.chatDelivered(a, "before", 1);
        assertEquals("before", onDoomed.expect(6).getString("msg"));
        assertEquals("before", survivor.expect(6).getString("msg"));

        doomed.kill();
        awaitReaped(cluster.redis());
        assertEquals(1, RedisProbe.sessionsOf(cluster.redis(), a), "the dead node's session is gone, the other stays");

        bob.chatDelivered(a, "after the crash", 2);
        assertEquals("after the crash", survivor.expect(6).getString("msg"));
        survivor.chatDelivered(b, "still here", 3);
        JsonObject next = bob.next();
        assertEquals(6, next.getInteger("msgid"), "no offline PRESENCE while a session lives: " + next.encode());
        assertEquals("still here", next.getString("msg"));
        assertEquals("online", V2.friendState(V2.card(bob), a));
        bob.expectSilence(QUIET);

        // the dead session's place is free again, and a second session is no news to friends
        V2.loginOk(later, a, "pw");
        bob.expectSilence(QUIET);
      }
    }
  }

  @Test
  void aKilledNodeHoldingAUsersOnlySessionTellsFriendsOnEveryNodeWithinTheLease() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG)) {
      int port = TestNode.freePort();
      try (NodeProcess doomed = NodeProcess.start(doomedConfig(cluster, port), Map.of());
           TestClient carol = TestClient.connect(port);
           TestClient bob = cluster.node(0).connect();
           TestClient dave = cluster.node(1).connect();
           TestClient carolAgain = cluster.node(1).connect()) {
        long c = bob.register(TestClient.uniqueName("carol"), "pw");
        long b = bob.register(TestClient.uniqueName("bob"), "pw");
        long d = bob.register(TestClient.uniqueName("dave"), "pw");
        V2.loginOk(carol, c, "pw");
        V2.befriend(carol, b);
        V2.befriend(carol, d);
        List<TestClient> friends = List.of(bob, dave);
        assertEquals("online", V2.friendState(V2.loginOk(bob, b, "pw", "presence"), c));
        assertEquals("online", V2.friendState(V2.loginOk(dave, d, "pw", "presence"), c));

        doomed.kill();
        long killedAt = System.nanoTime();
        for (TestClient f : friends) {
          List<JsonObject> before = new ArrayList<>();
          JsonObject offline = V2.await(f, LEASE_BOUND, m -> m.getInteger("msgid") == 38, before);
          assertEquals(new JsonObject().put("msgid", 38).put("id", c).put("state", "offline"), offline);
          assertTrue(before.isEmpty(), "nothing else first: " + before);
        }
        System.out.printf("presence: friends learnt of the killed node's user after %.1f s (lease 2 s)%n",
            (System.nanoTime() - killedAt) / 1e9);
        for (TestClient f : friends) {
          assertEquals("offline", V2.friendState(V2.card(f), c));
        }

        V2.loginOk(carolAgain, c, "pw");
        for (TestClient f : friends) {
          V2.expectPresence(f, c, "online");
          f.expectSilence(QUIET);
        }
      }
    }
  }

  @Test
  void aSessionJustStartedOnAThirdNodeGetsTheVeryNextMessage() {
    try (TestCluster cluster = TestCluster.start(3, CONFIG);
         TestClient bob = cluster.node(0).connect();
         TestClient alice1 = cluster.node(1).connect();
         TestClient alice2 = cluster.node(2).connect()) {
      long a = bob.register(TestClient.uniqueName("alice"), "pw");
      bob.registerAndLogin("bob");
      V2.loginOk(alice1, a, "pw");
      bob.chatDelivered(a, "first", 1);
      assertEquals("first", alice1.expect(6).getString("msg"));
      // a second session starts on a node that held none of alice's sessions a moment ago
      V2.loginOk(alice2, a, "pw");
      bob.chatDelivered(a, "second", 2);
      assertEquals("second", expect(alice1, 6, "the older session gets \"second\"").getString("msg"));
      // a new session is pushed what was written in the second before it started ("first": not owed
      // to it, the other session had it), then what comes next
      JsonObject next = expect(alice2, 6, "the session that just started gets \"second\"");
      if (next.getString("msg").equals("first")) {
        next = expect(alice2, 6, "the session that just started gets \"second\" after \"first\"");
      }
      assertEquals("second", next.getString("msg"));
    }
  }

  @Test
  void aSessionStartingOnAnotherNodeIsNotOwedWhatTheOtherSessionWasJustPushed() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TestClient bob = cluster.node(1).connect();
         TestClient phone = cluster.node(0).connect()) {
      long a = bob.register(TestClient.uniqueName("alice"), "pw");
      bob.registerAndLogin("bob");
      V2.loginOk(phone, a, "pw");
      for (int round = 0; round < 20; round++) {
        String text = "round " + round;
        bob.chatDelivered(a, text, round);
        assertEquals(text, phone.expect(6).getString("msg"));
        // right after the push: how far the phone got is only in node 0's memory yet
        try (TestClient laptop = cluster.node(1).connect()) {
          JsonArray owed = V2.loginOk(laptop, a, "pw").getJsonArray("offlinemsg");
          assertEquals(new JsonArray(), owed, "round " + round + ": pushed to the phone on node 0 already");
          V2.logout(laptop);
        }
      }
    }
  }

  @Test
  void presenceReachesEverySessionOfAFriendOnEveryNode() {
    try (TestCluster cluster = TestCluster.start(2, CONFIG);
         TestClient alice = cluster.node(0).connect();
         TwoSessions bob = TwoSessions.open(cluster, "bob")) {
      long a = alice.register(TestClient.uniqueName("alice"), "pw");
      long b = bob.id();
      V2.loginOk(alice, a, "pw");
      V2.befriend(alice, b);
      V2.logout(alice);
      bob.logInBoth("presence");
      V2.loginOk(alice, a, "pw");
      JsonObject online = new JsonObject().put("msgid", 38).put("id", a).put("state", "online");
      assertEquals(online, expect(bob.node0(), 38, "bob's session on alice's node"));
      assertEquals(online, expect(bob.node1(), 38, "bob's session on the other node"));
      V2.logout(alice);
      JsonObject offline = new JsonObject().put("msgid", 38).put("id", a).put("state", "offline");
      assertEquals(offline, expect(bob.node0(), 38, "bob's session on alice's node"));
      assertEquals(offline, expect(bob.node1(), 38, "bob's session on the other node"));
    }
  }

  /**
   * Each session finds its place in a conversation it has not seen yet when the first message of it
   * arrives; whatever the other session of the user did meanwhile, that message must still reach this
   * one. Many such first messages at once, so that the two sessions' work interleaves.
   */
  @Test
  void manyConversationsStartingAtOnceReachBothSessionsWhole() {
    int groups = 400;
    try (TestCluster cluster = TestCluster.start(3, CONFIG);
         TwoSessions alice = TwoSessions.open(cluster, "alice");
         TestClient bob = cluster.node(2).connect()) {
      long a = alice.id();
      V2.loginOk(alice.node0(), a, "pw");
      bob.registerAndLogin("bob");
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < groups; i++) {
        long g = V2.createGroup(bob, "g" + i);
        ids.add(g);
        V2.join(alice.node0(), g);
      }
      V2.loginOk(alice.node1(), a, "pw");
      // each message is the first of its conversation that either session sees
      for (int i = 0; i < groups; i++) {
        bob.send(new JsonObject().put("msgid", 10).put("groupid", ids.get(i)).put("msg", "hello " + i).put("seq", i));
      }
      for (int i = 0; i < groups; i++) {
        assertEquals("delivered", bob.expect(14).getString("status"));
      }
      for (TestClient session : alice.both()) {
        java.util.Set<String> got = new java.util.HashSet<>();
        JsonObject m;
        while (got.size() < groups && (m = session.nextWithin(Duration.ofSeconds(10))) != null) {
          assertEquals(10, m.getInteger("msgid"), m::encode);
          got.add(m.getString("msg"));
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
          if (!got.contains("hello " + i)) {
            missing.add("hello " + i);
          }
        }
        assertEquals(List.of(), missing, (session == alice.node0() ? "node 0" : "node 1") + " session missed these");
      }
    }
  }

  // --- helpers ---

  private static JsonObject doomedConfig(TestCluster cluster, int port) {
    return cluster.joinConfig().put("host", "127.0.0.1").put("ports", new JsonArray().add(port))
        .put("node", new JsonObject().put("id", "doomed"))
        .put("sessions", CONFIG.getJsonObject("sessions").copy())
        .put("limits", CONFIG.getJsonObject("limits").copy());
  }

  /** Until a surviving node has reaped the killed one (its lease is gone from Redis). */
  private static void awaitReaped(TestRedis redis) {
    await(() -> RedisProbe.leasedNodes(redis).stream().noneMatch(n -> n.startsWith("doomed-")), LEASE_BOUND,
        "the killed node reaped");
  }

  private static void await(BooleanSupplier condition, Duration bound, String what) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + ": not within " + bound);
      Waits.sleep(100);
    }
  }

  /**
   * {@code from} (user {@code me}) writes to each friend; each one's next message must be that chat,
   * no PRESENCE before it.
   */
  private static void assertNextIsChatFrom(TestClient from, long me, List<TestClient> friends, List<Long> friendIds,
                                           String when) {
    for (int i = 0; i < friends.size(); i++) {
      String text = "marker: " + when;
      from.chat(friendIds.get(i), text, "marker");
      from.expect(14);
      JsonObject next = friends.get(i).next();
      assertEquals(6, next.getInteger("msgid"), when + ": no PRESENCE: " + next.encode());
      assertEquals(text, next.getString("msg"));
      assertEquals(me, next.getLong("id"));
    }
  }

  private static void assertOwnMessageEchoes(TestClient sender, TestClient otherSession, TestClient peer, long me,
                                             long peerId, String text) {
    JsonObject ack = sender.chatDelivered(peerId, text, "own");
    JsonObject got = peer.expect(6);
    assertEquals(text, got.getString("msg"));
    assertEquals(me, got.getLong("id"));
    JsonObject echo = expect(otherSession, 6, "the sender's other session gets \"" + text + "\"");
    assertEquals(text, echo.getString("msg"), echo::encode);
    assertEquals(me, echo.getLong("id"), "the user's own message: " + echo.encode());
    assertEquals(peerId, echo.getLong("toid"), echo::encode);
    assertEquals(ack.getLong("mid"), echo.getLong("mid"));
    assertEquals(ack.getLong("cseq"), echo.getLong("cseq"));
    assertEquals(ack.getString("conv"), echo.getString("conv"));
    sender.expectSilence(QUIET);
  }

  /** A group message from {@code from} reaching every one of {@code to}; its CHAT_ACK. */
  private static JsonObject groupChat(TestClient from, long g, String text, TestClient... to) {
    from.send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", text).put("seq", text));
    JsonObject ack = from.expect(14);
    assertEquals("delivered", ack.getString("status"), ack::encode);
    for (int i = 0; i < to.length; i++) {
      JsonObject got = expect(to[i], 10, "recipient #" + i + " of \"" + text + "\"");
      assertEquals(text, got.getString("msg"), got::encode);
      assertEquals(ack.getLong("cseq"), got.getLong("cseq"));
    }
    return ack;
  }

  /** The next message, which must be {@code msgid}; {@code what} names the expectation when nothing comes. */
  private static JsonObject expect(TestClient c, int msgid, String what) {
    JsonObject m = c.nextWithin(TestClient.TIMEOUT);
    assertTrue(m != null, what + ": nothing came within " + TestClient.TIMEOUT);
    assertEquals(msgid, m.getInteger("msgid"), () -> what + ": " + m.encode());
    return m;
  }

  private static void read(TestClient c, String conv, long cseq, long expectedRead) {
    c.send(new JsonObject().put("msgid", 34).put("conv", conv).put("cseq", cseq).put("seq", "read"));
    JsonObject ack = c.expect(35);
    assertEquals(conv, ack.getString("conv"));
    assertEquals(expectedRead, ack.getLong("read"), ack::encode);
  }

  private static void assertReceipt(JsonObject m, String conv, long reader, long read) {
    assertEquals(new JsonObject().put("msgid", 36).put("conv", conv).put("id", reader).put("read", read), m);
  }

  private static long unread(TestClient c, String conv) {
    c.send(new JsonObject().put("msgid", 32).put("seq", "convs"));
    for (Object o : c.expect(33).getJsonArray("convs")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("conv").equals(conv)) {
        return s.getLong("unread");
      }
    }
    throw new AssertionError("no " + conv + " among the conversations");
  }
}
