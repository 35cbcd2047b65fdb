package chat.service;

import chat.testing.ClassicClient;
import chat.testing.Lifecycle;
import chat.testing.NodeTestBase;
import chat.testing.Person;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.V2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EDIT, RECALL and replies (PROTOCOL.md, "Privacy and the message lifecycle"): each change is an
 * entry of its conversation's log, pushed as CHANGED to the sessions that asked for edits, and its
 * target is served changed wherever it is read; windows, senders and creators; legacy sessions see
 * nothing of it.
 */
class MessageLifecycleTest extends NodeTestBase {
  private static final Duration QUIET = Duration.ofMillis(300);

  @Test
  void anEditAndARecallArePushedAndTheTargetIsServedChangedEverywhere() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    String pair = V2.pair(alice.id(), bob.id());
    alice.c().chatDelivered(bob.id(), "one", 1);
    alice.c().chatDelivered(bob.id(), "two", 2);
    bob.c().expect(6);
    bob.c().expect(6);

    assertEquals(3, Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 1, "one, edited"), 55));
    JsonObject edited = bob.c().expect(57);
    assertEquals(pair, edited.getString("conv"));
    assertEquals(3, edited.getLong("cseq"));
    assertEquals(1, edited.getLong("target"));
    assertEquals("edit", edited.getString("kind"));
    assertEquals("one, edited", edited.getString("msg"));
    assertEquals(alice.id(), edited.getLong("id"));
    assertEquals(edited.getLong("ts"), edited.getLong("edited"));
    assertEquals(4, Lifecycle.acked(Lifecycle.recall(alice.c(), pair, 2), 56));
    JsonObject recalled = bob.c().expect(57);
    assertEquals("recall", recalled.getString("kind"));
    assertEquals(2, recalled.getLong("target"));
    assertFalse(recalled.containsKey("msg"), recalled::encode);
    alice.c().expectSilence(QUIET);

    JsonArray msgs = V2.sync(bob.c(), new JsonObject().put("conv", pair).put("after", 0)).getJsonArray("msgs");
    assertEquals(4, msgs.size());
    assertEquals("one, edited", msgs.getJsonObject(0).getString("msg"));
    assertEquals(edited.getLong("ts"), msgs.getJsonObject(0).getLong("edited"));
    assertTrue(msgs.getJsonObject(1).getBoolean("recalled"), msgs::encode);
    assertFalse(msgs.getJsonObject(1).containsKey("msg"), "a recalled message's text is not kept");
    assertEquals(edited, msgs.getJsonObject(2), "SYNC serves the entry as it was pushed");
    assertEquals(recalled, msgs.getJsonObject(3));

    // neither change is unread, nor the newest message
    JsonObject listed = V2.listed(bob.c(), pair);
    assertEquals(4, listed.getLong("last"));
    assertEquals(2, listed.getInteger("unread"));
    assertEquals(2, listed.getJsonObject("lastmsg").getLong("cseq"));
    assertEquals(0, V2.listed(alice.c(), pair).getInteger("unread"));
    alice.c().chatDelivered(bob.id(), "three", 3);
    bob.c().expect(6);
    bob.c().send(new JsonObject().put("msgid", 34).put("conv", pair).put("cseq", 5).put("seq", "read"));
    bob.c().expect(35);
    alice.c().expect(36);
    Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 5, "three, edited"), 55);
    bob.c().expect(57);
    listed = V2.listed(bob.c(), pair);
    assertEquals(0, listed.getInteger("unread"), listed::encode);
    assertEquals("three, edited", listed.getJsonObject("lastmsg").getString("msg"));

    // a resent edit (same cmid) is appended once and answered with the first one's ack
    JsonObject resendable = new JsonObject().put("msgid", 55).put("conv", pair).put("target", 5).put("msg", "three!")
        .put("cmid", "e-1");
    alice.c().send(resendable);
    long first = Lifecycle.acked(alice.c().next(), 55);
    bob.c().expect(57);
    alice.c().send(resendable);
    assertEquals(first, Lifecycle.acked(alice.c().next(), 55));
    bob.c().expectSilence(QUIET);

    // an edit does not move its conversation up the list
    Person carol = Person.loggedIn(client(), "carol", Lifecycle.CAPS);
    carol.c().chatDelivered(bob.id(), "newer", 4);
    bob.c().expect(6);
    Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 1, "one, again"), 55);
    bob.c().expect(57);
    JsonArray convs = V2.conversations(bob.c()).getJsonArray("convs");
    assertEquals(V2.pair(carol.id(), bob.id()), convs.getJsonObject(0).getString("conv"));
    assertEquals(pair, convs.getJsonObject(1).getString("conv"));
  }

  @Test
  void changesInAGroupReachOnlyTheSessionsThatAskedAndTheCreatorMayRecallAnything() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    Person carol = Person.loggedIn(client(), "carol", "social");
    long g = alice.createGroupJoinedBy("edits", bob, carol);
    String conv = "g:" + g;
    groupChat(bob, g, "b1");
    alice.c().expect(10);
    carol.c().expect(10);

    Lifecycle.acked(Lifecycle.edit(bob.c(), conv, 1, "b1, edited"), 55);
    assertTrue(Lifecycle.changed("edit", 1).test(alice.c().expect(57)));
    // moderation: the creator recalls another member's message
    Lifecycle.acked(Lifecycle.recall(alice.c(), conv, 1), 56);
    assertTrue(Lifecycle.changed("recall", 1).test(bob.c().expect(57)));

    groupChat(bob, g, "b2");
    alice.c().expect(10);
    JsonObject b2 = carol.c().expect(10);
    assertEquals(4, b2.getLong("cseq"), "carol's session took the places of the changes unwritten");
    carol.c().send(new JsonObject().put("msgid", 56).put("conv", conv).put("target", 4).put("seq", "r"));
    assertTrue(carol.c().expectError(105).getString("errmsg").contains("only its sender"));
    carol.c().send(new JsonObject().put("msgid", 55).put("conv", conv).put("target", 4).put("msg", "x").put("seq", "e"));
    carol.c().expectError(105);
    groupChat(bob, g, "b3");
    alice.c().expect(10);
    assertEquals(5, carol.c().expect(10).getLong("cseq"));
    carol.c().expectSilence(QUIET);
    // SYNC is the same for everyone
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), V2.cseqs(V2.sync(carol.c(), new JsonObject().put("conv", conv))));
  }

  @Test
  void whatCannotBeChangedIsRefused() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    Person eve = Person.loggedIn(client(), "eve", Lifecycle.CAPS);
    String pair = V2.pair(alice.id(), bob.id());
    alice.c().chatDelivered(bob.id(), "one", 1);
    alice.c().chatDelivered(bob.id(), "two", 2);
    Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 1, "one!"), 55);
    Lifecycle.acked(Lifecycle.recall(alice.c(), pair, 2), 56);
    for (int msgid : List.of(6, 6, 57, 57)) {
      bob.c().expect(msgid);
    }
    for (long target : List.of(3L, 4L, 99L)) {
      assertEquals(102, Lifecycle.edit(alice.c(), pair, target, "x").getInteger("errno"), "target " + target);
      assertEquals(102, Lifecycle.recall(alice.c(), pair, target).getInteger("errno"), "target " + target);
    }
    assertTrue(Lifecycle.edit(alice.c(), pair, 2, "back").getString("errmsg").contains("recalled"));
    assertEquals(102, Lifecycle.recall(alice.c(), pair, 2).getInteger("errno"));
    assertEquals(105, Lifecycle.edit(bob.c(), pair, 1, "not mine").getInteger("errno"));
    assertEquals(105, Lifecycle.recall(bob.c(), pair, 1).getInteger("errno"));
    assertEquals(105, Lifecycle.recall(eve.c(), pair, 1).getInteger("errno"), "not eve's conversation");
    assertEquals(102, Lifecycle.edit(alice.c(), "nonsense", 1, "x").getInteger("errno"));
    assertEquals(106, Lifecycle.edit(alice.c(), "g:999999999", 1, "x").getInteger("errno"));
    alice.c().send(new JsonObject().put("msgid", 55).put("conv", pair).put("target", 1).put("seq", "no text"));
    alice.c().expectError(102);
    alice.c().send(new JsonObject().put("msgid", 55).put("conv", pair).put("target", 0).put("msg", "x").put("seq", 0));
    alice.c().expectError(102);
    alice.c().send(new JsonObject().put("msgid", 55).put("conv", pair).put("target", 1).put("msg", "x".repeat(5000))
        .put("seq", "long"));
    alice.c().expectError(108);
    // a block freezes the pair's messages: no change either way
    Lifecycle.block(bob.c(), alice.id());
    assertEquals(105, Lifecycle.edit(alice.c(), pair, 1, "sorry").getInteger("errno"));
    // nothing of that was appended
    JsonObject history = V2.sync(bob.c(), new JsonObject().put("conv", pair));
    assertEquals(4, history.getLong("last"));
  }

  @Test
  void windowsAreEnforcedButACreatorRecallsAnyMessage() {
    TestNode strict = TestNode.start(vertx, store, new JsonObject().put("limits", new JsonObject()
        .put("editSeconds", 0).put("recallSeconds", 0)));
    try (TestClient a = strict.connect(); TestClient b = strict.connect()) {
      Person alice = Person.loggedIn(a, "alice", Lifecycle.CAPS);
      Person bob = Person.loggedIn(b, "bob", Lifecycle.CAPS);
      long g = alice.createGroupJoinedBy("strict", bob);
      groupChat(bob, g, "late");
      alice.c().expect(10);
      assertTrue(Lifecycle.edit(bob.c(), "g:" + g, 1, "x").getString("errmsg").contains("window"));
      assertEquals(105, Lifecycle.recall(bob.c(), "g:" + g, 1).getInteger("errno"));
      Lifecycle.acked(Lifecycle.recall(alice.c(), "g:" + g, 1), 56);
    } finally {
      strict.close();
    }
  }

  @Test
  void theDefaultWindowsAreInTheLoginLimits() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("limits"), "pw");
    JsonObject limits = V2.loginOk(c, id, "pw").getJsonObject("limits");
    assertEquals(172_800, limits.getInteger("editSeconds"));
    assertEquals(86_400, limits.getInteger("recallSeconds"));
  }

  @Test
  void anOfflineUserGetsTheMessagesAsTheyAreNowAndNoChange() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    TestClient b = client();
    long bob = b.register(TestClient.uniqueName("bob"), "pw");
    String pair = V2.pair(alice.id(), bob);
    for (String text : List.of("m1", "m2", "m3")) {
      alice.c().chat(bob, text, text);
      assertEquals("stored", alice.c().expect(14).getString("status"));
    }
    Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 1, "m1!"), 55);
    Lifecycle.acked(Lifecycle.recall(alice.c(), pair, 2), 56);
    JsonArray offline = V2.loginOk(b, bob, "pw", Lifecycle.CAPS).getJsonArray("offlinemsg");
    assertEquals(3, offline.size(), offline::encode);
    JsonObject m1 = new JsonObject(offline.getString(0));
    assertEquals("m1!", m1.getString("msg"));
    assertTrue(m1.containsKey("edited"));
    JsonObject m2 = new JsonObject(offline.getString(1));
    assertTrue(m2.getBoolean("recalled"));
    assertNull(m2.getString("msg"));
    assertEquals("m3", new JsonObject(offline.getString(2)).getString("msg"));
    b.expectSilence(QUIET);
  }

  @Test
  void aLegacySessionGetsOwedMessagesEditedAndNeverARecalledOneOrAChange() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    TestClient registering = client();
    long dave = registering.register(TestClient.uniqueName("dave"), "pw");
    String pair = V2.pair(alice.id(), dave);
    for (String text : List.of("d1", "d2")) {
      alice.c().chat(dave, text, text);
      alice.c().expect(14);
    }
    Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 1, "d1!"), 55);
    Lifecycle.acked(Lifecycle.recall(alice.c(), pair, 2), 56);
    try (ClassicClient classic = ClassicClient.connect(node.port())) {
      classic.send(new JsonObject().put("msgid", 1).put("id", dave).put("password", "pw"));
      JsonObject login = classic.recv();
      assertEquals(Set.of("msgid", "errno", "id", "name", "friends", "groups", "offlinemsg"), login.fieldNames());
      JsonArray offline = login.getJsonArray("offlinemsg");
      assertEquals(1, offline.size(), offline::encode);
      JsonObject d1 = new JsonObject(offline.getString(0));
      assertEquals("d1!", d1.getString("msg"));
      assertEquals(Set.of("msgid", "id", "name", "toid", "msg", "time"), d1.fieldNames());

      alice.c().chat(dave, "d3", "d3");
      alice.c().expect(14);
      assertEquals("d3", classic.recv().getString("msg"));
      Lifecycle.acked(Lifecycle.edit(alice.c(), pair, 5, "d3!"), 55);
      Lifecycle.acked(Lifecycle.recall(alice.c(), pair, 5), 56);
      classic.expectSilence(QUIET);
      alice.c().chat(dave, "d4", "d4");
      alice.c().expect(14);
      JsonObject d4 = classic.recv();
      assertEquals("d4", d4.getString("msg"));
      assertEquals(Set.of("msgid", "id", "name", "toid", "msg", "time"), d4.fieldNames());
    }
  }

  @Test
  void aReplyIsKeptAndForwardedAndMustNameAMessageOfTheConversation() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    String pair = V2.pair(alice.id(), bob.id());
    alice.c().chatDelivered(bob.id(), "question", 1);
    bob.c().expect(6);
    assertEquals(14, Lifecycle.replyTo(bob.c(), alice.id(), 1, "answer").getInteger("msgid"));
    JsonObject answer = alice.c().expect(6);
    assertEquals(1, answer.getLong("reply"));
    Lifecycle.acked(Lifecycle.recall(alice.c(), pair, 1), 56);
    bob.c().expect(57);
    assertEquals(14, Lifecycle.replyTo(bob.c(), alice.id(), 1, "to a recalled one").getInteger("msgid"));
    alice.c().expect(6);
    JsonArray msgs = V2.sync(alice.c(), new JsonObject().put("conv", pair).put("after", 0)).getJsonArray("msgs");
    assertEquals(1, msgs.getJsonObject(1).getLong("reply"), "a reply to a recalled message still says so");
    for (Object bad : List.of(3, 99, 0, "1", -1)) {
      assertEquals(102, Lifecycle.replyTo(bob.c(), alice.id(), bad, "bad").getInteger("errno"), "reply " + bad);
    }
    alice.c().expectSilence(QUIET);
  }

  @Test
  void changesAreRateLimitedLikeChats() {
    TestNode limited = TestNode.start(vertx, store, new JsonObject().put("limits", new JsonObject()
        .put("messagesPerSecond", 1).put("messageBurst", 3)));
    try (TestClient a = limited.connect(); TestClient b = limited.connect()) {
      long bob = b.register(TestClient.uniqueName("bob"), "pw");
      long alice = a.register(TestClient.uniqueName("alice"), "pw");
      V2.loginOk(a, alice, "pw");
      a.chat(bob, "one", 1);
      a.expect(14);
      for (int i = 0; i < 20; i++) {
        a.send(new JsonObject().put("msgid", 55).put("conv", V2.pair(alice, bob)).put("target", 1).put("msg", "e" + i)
            .put("seq", i));
      }
      boolean limitedOnce = false;
      for (int i = 0; i < 20; i++) {
        JsonObject answer = a.next();
        limitedOnce |= answer.getInteger("msgid") == 99 && answer.getInteger("errno") == 107;
      }
      assertTrue(limitedOnce, "twenty edits at once exceed a burst of 3");
    } finally {
      limited.close();
    }
  }

  private static void groupChat(Person from, long group, String text) {
    from.c().send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", text).put("seq", text));
    from.c().expect(14);
  }
}
