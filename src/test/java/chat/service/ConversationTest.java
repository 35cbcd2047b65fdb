package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Durable conversations (PROTOCOL.md, "Conversations (v2)"): the log, SYNC, CONVERSATIONS, READ, TYPING, cmid. */
class ConversationTest extends NodeTestBase {

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messageBurst", 100_000));
  }

  @Test
  void everyMessageGetsItsPlaceAndHistoryPagesBothWays() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    String conv = "p:" + pair.aliceId() + ":" + pair.bobId();
    for (int i = 1; i <= 30; i++) {
      pair.alice().chat(pair.bobId(), "m" + i, i);
      JsonObject ack = pair.alice().expect(14);
      assertEquals(conv, ack.getString("conv"));
      assertEquals(i, ack.getLong("cseq"));
      JsonObject got = pair.bob().expect(6);
      assertEquals(i, got.getLong("cseq"));
      assertEquals(conv, got.getString("conv"));
      assertEquals(ack.getLong("mid"), got.getLong("mid"));
      assertTrue(got.getLong("ts") > 0);
    }
    JsonObject newest = sync(pair.bob(), new JsonObject().put("conv", conv).put("limit", 10));
    assertEquals(cseqs(21, 30), cseqsOf(newest));
    assertEquals(30, newest.getLong("last"));
    assertTrue(newest.getBoolean("more"));
    JsonObject older = sync(pair.bob(), new JsonObject().put("conv", conv).put("before", 21).put("limit", 10));
    assertEquals(cseqs(11, 20), cseqsOf(older));
    JsonObject tail = sync(pair.alice(), new JsonObject().put("conv", conv).put("after", 25));
    assertEquals(cseqs(26, 30), cseqsOf(tail));
    assertFalse(tail.getBoolean("more"));
    JsonObject all = sync(pair.alice(), new JsonObject().put("conv", conv).put("after", 0).put("limit", 500));
    assertEquals(cseqs(1, 30), cseqsOf(all));
    assertEquals("m7", all.getJsonArray("msgs").getJsonObject(6).getString("msg"));
  }

  @Test
  void aResendWithTheSameCmidIsNeitherAppendedNorDeliveredTwice() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    JsonObject message = new JsonObject().put("msgid", 6).put("toid", pair.bobId()).put("msg", "once").put("cmid", "abc");
    pair.alice().send(message);
    JsonObject first = pair.alice().expect(14);
    assertEquals("delivered", first.getString("status"));
    assertFalse(first.containsKey("seq"), "a cmid alone asks for the CHAT_ACK");
    assertEquals("once", pair.bob().expect(6).getString("msg"));
    pair.alice().send(message.copy().put("seq", "again"));
    JsonObject again = pair.alice().expect(14);
    assertEquals("again", again.getString("seq"));
    assertEquals(first.getLong("mid"), again.getLong("mid"));
    assertEquals(first.getString("conv"), again.getString("conv"));
    assertEquals(first.getLong("cseq"), again.getLong("cseq"));
    assertEquals("delivered", again.getString("status"), "the first one's answer");
    pair.bob().expectSilence(Duration.ofMillis(300));
    long carol = client().register(TestClient.uniqueName("carol"), "pw");
    JsonObject toOffline = new JsonObject().put("msgid", 6).put("toid", carol).put("msg", "later").put("cmid", "def");
    pair.alice().send(toOffline);
    assertEquals("stored", pair.alice().expect(14).getString("status"));
    pair.alice().send(toOffline);
    assertEquals("stored", pair.alice().expect(14).getString("status"), "still not pushed to anyone");
    JsonObject log = sync(pair.bob(), new JsonObject().put("conv", first.getString("conv")).put("after", 0));
    assertEquals(1, log.getJsonArray("msgs").size());
    assertFalse(log.getJsonArray("msgs").getJsonObject(0).containsKey("cmid"), "the cmid is the sender's own");
  }

  @Test
  void offlineMessagesComeOnceAndStayInTheHistory() {
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    long b = alice.register(TestClient.uniqueName("bob"), "pw");
    for (int i = 0; i < 3; i++) {
      alice.chat(b, "while away " + i, i);
      assertEquals("stored", alice.expect(14).getString("status"));
    }
    TestClient bob = client();
    JsonArray offline = bob.login(b, "pw").getJsonArray("offlinemsg");
    assertEquals(3, offline.size());
    JsonObject first = new JsonObject(offline.getString(0));
    assertEquals("p:" + Math.min(a, b) + ":" + Math.max(a, b), first.getString("conv"));
    assertEquals(1, first.getLong("cseq"));
    bob.close();
    TestClient again = client();
    assertEquals(0, TestClient.retryWhileInUse(() -> again.login(b, "pw")).getJsonArray("offlinemsg").size(),
        "once only");
    JsonObject log = sync(again, new JsonObject().put("conv", first.getString("conv")));
    assertEquals(cseqs(1, 3), cseqsOf(log), "nothing is deleted when it is delivered");
  }

  @Test
  void conversationsListsWhatIsUnreadAndReadOnlyMovesForward() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    TestClient alice = pair.alice();
    TestClient bob = pair.bob();
    alice.send(new JsonObject().put("msgid", 8).put("groupname", "club").put("seq", "g"));
    long group = alice.expect(12).getLong("groupid");
    bob.send(new JsonObject().put("msgid", 9).put("groupid", group).put("seq", "j"));
    bob.expect(13);
    for (int i = 0; i < 3; i++) {
      alice.chat(pair.bobId(), "one to one " + i, "c" + i);
      alice.expect(14);
      bob.expect(6);
    }
    alice.send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "to the club").put("seq", "gc"));
    alice.expect(14);
    bob.expect(10);

    String pairConv = "p:" + Math.min(pair.aliceId(), pair.bobId()) + ":" + Math.max(pair.aliceId(), pair.bobId());
    JsonArray convs = conversations(bob);
    assertEquals("g:" + group, convs.getJsonObject(0).getString("conv"), "the most recent first");
    assertEquals("club", convs.getJsonObject(0).getString("groupname"));
    assertEquals(1, convs.getJsonObject(0).getLong("unread"));
    JsonObject withAlice = convs.getJsonObject(1);
    assertEquals(pairConv, withAlice.getString("conv"));
    assertEquals(pair.aliceId(), withAlice.getLong("with"));
    assertEquals(3, withAlice.getLong("last"));
    assertEquals(0, withAlice.getLong("read"));
    assertEquals(3, withAlice.getLong("unread"));
    assertEquals("one to one 2", withAlice.getJsonObject("lastmsg").getString("msg"));

    bob.send(new JsonObject().put("msgid", 34).put("conv", pairConv).put("cseq", 2).put("seq", "r"));
    assertEquals(2, bob.expect(35).getLong("read"));
    bob.send(new JsonObject().put("msgid", 34).put("conv", pairConv).put("cseq", 1).put("seq", "back"));
    assertEquals(2, bob.expect(35).getLong("read"), "never back");
    bob.send(new JsonObject().put("msgid", 34).put("conv", pairConv).put("cseq", 4).put("seq", "beyond"));
    assertEquals("beyond", bob.expectError(102).getString("seq"));
    assertEquals(1, conversations(bob).getJsonObject(1).getLong("unread"));
    JsonObject alicesView = conversations(alice).getJsonObject(1);
    assertEquals(0, alicesView.getLong("unread"), "what one writes oneself is read");
    assertEquals(2, alicesView.getLong("peerread"), "how far bob read: the receipts alice may have missed");
    assertFalse(conversations(bob).getJsonObject(0).containsKey("peerread"), "a group has no one peer");
  }

  @Test
  void receiptsAndTypingReachOnlySessionsThatAskedForThem() {
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    long b = alice.register(TestClient.uniqueName("bob"), "pw");
    long c = alice.register(TestClient.uniqueName("carol"), "pw");
    TestClient bob = client();
    JsonObject login = bob.send(new JsonObject().put("msgid", 1).put("id", b).put("password", "pw")
        .put("caps", new JsonArray().add("receipts").add("typing").add("teleport"))).expect(2);
    assertEquals(new JsonArray().add("receipts").add("typing"), login.getJsonArray("caps"), "what was granted");
    TestClient carol = client();
    carol.login(c, "pw");

    String ab = "p:" + Math.min(a, b) + ":" + Math.max(a, b);
    String ac = "p:" + Math.min(a, c) + ":" + Math.max(a, c);
    bob.chat(a, "read me", 1);
    bob.expect(14);
    alice.expect(6);
    alice.send(new JsonObject().put("msgid", 34).put("conv", ab).put("cseq", 1).put("seq", "r"));
    alice.expect(35);
    JsonObject receipt = bob.expect(36);
    assertEquals(ab, receipt.getString("conv"));
    assertEquals(a, receipt.getLong("id"));
    assertEquals(1, receipt.getLong("read"));

    alice.send(new JsonObject().put("msgid", 37).put("conv", ab));
    JsonObject typing = bob.expect(37);
    assertEquals(a, typing.getLong("id"));
    assertEquals(ab, typing.getString("conv"));
    alice.send(new JsonObject().put("msgid", 37).put("conv", ab));
    bob.expectSilence(Duration.ofMillis(300));

    carol.chat(a, "hi", 2);
    carol.expect(14);
    alice.expect(6);
    alice.send(new JsonObject().put("msgid", 34).put("conv", ac).put("cseq", 1).put("seq", "r2"));
    alice.expect(35);
    alice.send(new JsonObject().put("msgid", 37).put("conv", ac));
    carol.expectSilence(Duration.ofMillis(300));
    alice.expectSilence(Duration.ofMillis(100));
  }

  @Test
  void aNewGroupMemberReadsTheHistoryButIsOwedNothingOfIt() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    pair.alice().send(new JsonObject().put("msgid", 8).put("groupname", "history").put("seq", "g"));
    long group = pair.alice().expect(12).getLong("groupid");
    for (int i = 0; i < 3; i++) {
      pair.alice().send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "early " + i).put("seq", i));
      pair.alice().expect(14);
    }
    pair.bob().send(new JsonObject().put("msgid", 9).put("groupid", group).put("seq", "j"));
    pair.bob().expect(13);
    assertEquals(cseqs(1, 3), cseqsOf(sync(pair.bob(), new JsonObject().put("conv", "g:" + group))));
    pair.alice().send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "now").put("seq", "n"));
    pair.alice().expect(14);
    JsonObject live = pair.bob().expect(10);
    assertEquals(4, live.getLong("cseq"));
    pair.bob().expectSilence(Duration.ofMillis(200));
  }

  @Test
  void badConversationRequestsGetTheirCodeAndTheConnectionStaysUsable() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    TestClient alice = pair.alice();
    long a = pair.aliceId();
    long other = client().register(TestClient.uniqueName("other"), "pw");
    long third = client().register(TestClient.uniqueName("third"), "pw");
    alice.send(new JsonObject().put("msgid", 8).put("groupname", "mine").put("seq", "g"));
    long mine = alice.expect(12).getLong("groupid");
    TestClient outsider = client();
    outsider.login(other, "pw");

    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {new JsonObject().put("msgid", 30), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "p:" + Math.max(a, other) + ":"
        + Math.min(a, other)), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "x:1"), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", 42), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "p:" + Math.min(other, third) + ":"
        + Math.max(other, third)), 105});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "p:" + a + ":999999999"), 106});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "g:999999999"), 106});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "g:" + mine).put("limit", 0), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "g:" + mine).put("limit", 501), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "g:" + mine).put("after", 1)
        .put("before", 3), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 30).put("conv", "g:" + mine).put("after", -1), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 34).put("conv", "g:" + mine).put("cseq", 1), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 37).put("conv", "nonsense"), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 32).put("limit", "many"), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 6).put("toid", pair.bobId()).put("msg", "x")
        .put("cmid", "c".repeat(65)), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 6).put("toid", pair.bobId()).put("msg", "x")
        .put("cmid", ""), 102});
    cases.add(new Object[] {new JsonObject().put("msgid", 6).put("toid", a).put("msg", "to myself"), 102});
    for (Object[] c : cases) {
      JsonObject request = ((JsonObject) c[0]).put("seq", "s");
      alice.send(request);
      JsonObject err = alice.expectError((Integer) c[1]);
      assertEquals(request.getInteger("msgid"), err.getInteger("re"), request::encode);
      assertEquals("s", err.getString("seq"));
    }
    outsider.send(new JsonObject().put("msgid", 30).put("conv", "g:" + mine).put("seq", 1));
    outsider.expectError(105);
    outsider.send(new JsonObject().put("msgid", 37).put("conv", "g:" + mine).put("seq", 2));
    outsider.expectError(105);
    alice.send(new JsonObject().put("msgid", 20).put("seq", "still here"));
    assertEquals("still here", alice.expect(21).getString("seq"));
    pair.bob().expectSilence(Duration.ofMillis(200));
  }

  private static JsonObject sync(TestClient c, JsonObject request) {
    c.send(request.put("msgid", 30).put("seq", "sync"));
    JsonObject ack = c.expect(31);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    return ack;
  }

  private static JsonArray conversations(TestClient c) {
    c.send(new JsonObject().put("msgid", 32).put("seq", "convs"));
    return c.expect(33).getJsonArray("convs");
  }

  private static List<Long> cseqsOf(JsonObject syncAck) {
    List<Long> out = new ArrayList<>();
    syncAck.getJsonArray("msgs").forEach(m -> out.add(((JsonObject) m).getLong("cseq")));
    return out;
  }

  private static List<Long> cseqs(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
