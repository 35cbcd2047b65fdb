package chat.service;

import chat.testing.ClassicClient;
import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session whose LOGIN had no seq, token nor caps gets exactly the classic server's shapes, and
 * every line it gets survives the classic client's reading rule (one 1024-byte recv = one JSON text).
 */
class LegacySessionTest extends NodeTestBase {
  private static final Set<String> CLASSIC_ONE_CHAT = Set.of("msgid", "id", "name", "toid", "msg", "time");
  private static final Set<String> CLASSIC_GROUP_CHAT = Set.of("msgid", "id", "name", "groupid", "msg", "time");

  @Override
  protected JsonObject overrides() {
    // a wider gap than the default 20 ms: a busy test machine may keep the reading thread off the CPU
    // for longer, and the classic reading rule would then see two lines in one read
    return new JsonObject().put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messageBurst", 100_000)
        .put("legacyPushGapMillis", 50));
  }

  @Test
  void aUserWithManyStoredMessagesReadsThemAllWithTheClassicClient() {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    long bob = alice.register(TestClient.uniqueName("bob"), "pw");
    int total = 150;
    for (int i = 0; i < total; i++) {
      alice.chat(bob, "stored message number " + i, i);
      if (i % 50 == 49) {
        for (int k = 0; k < 50; k++) {
          assertEquals("stored", alice.expect(14).getString("status"));
        }
      }
    }
    try (ClassicClient classic = ClassicClient.connect(node.port())) {
      classic.send(new JsonObject().put("msgid", 1).put("id", bob).put("password", "pw"));
      JsonObject reply = classic.recv();
      assertEquals(2, reply.getInteger("msgid"));
      assertEquals(0, reply.getInteger("errno"));
      assertEquals(Set.of("msgid", "errno", "id", "name", "friends", "groups", "offlinemsg"), reply.fieldNames(),
          "the classic shape, no token");
      JsonArray offline = reply.getJsonArray("offlinemsg");
      assertTrue(offline.size() > 0, "what fits comes in the reply");
      int next = 0;
      for (; next < offline.size(); next++) {
        JsonObject m = new JsonObject(offline.getString(next));
        assertEquals(CLASSIC_ONE_CHAT, m.fieldNames(), m::encode);
        assertEquals("stored message number " + next, m.getString("msg"));
      }
      // the rest follow oldest first, each on its own, in the classic shape
      for (; next < total; next++) {
        JsonObject m = classic.recv();
        assertEquals(CLASSIC_ONE_CHAT, m.fieldNames(), m::encode);
        assertEquals("stored message number " + next, m.getString("msg"));
      }
      classic.expectSilence(Duration.ofMillis(300));
    }
    // read once and only once
    TestClient again = client();
    assertEquals(0, again.login(bob, "pw").getJsonArray("offlinemsg").size());
  }

  /**
   * A legacy login whose reply holds a few stored messages and whose client leaves before the rest
   * follow: the rest are still owed, and the next login gets them (the login took the user's owing
   * mark, and only a session that wrote everything owed gives it up).
   */
  @Test
  void whatALoginDidNotWriteBeforeItsClientLeftComesWithTheNextLogin() {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    long bob = alice.register(TestClient.uniqueName("bob"), "pw");
    int total = 40;
    for (int i = 0; i < total; i++) {
      alice.chat(bob, "stored " + i, i);
      assertEquals("stored", alice.expect(14).getString("status"));
    }
    int inReply;
    try (ClassicClient classic = ClassicClient.connect(node.port())) {
      classic.send(new JsonObject().put("msgid", 1).put("id", bob).put("password", "pw"));
      inReply = classic.recv().getJsonArray("offlinemsg").size();
      assertTrue(inReply > 0 && inReply < total, inReply + " in the reply, the rest to follow");
    }
    TestClient again = client();
    JsonArray rest = TestClient.retryWhileInUse(() -> again.login(bob, "pw")).getJsonArray("offlinemsg");
    assertTrue(rest.size() > 0, "the next login gets what the first did not write");
    assertEquals("stored " + (total - 1), new JsonObject(rest.getString(rest.size() - 1)).getString("msg"));
    int firstOfRest = Integer.parseInt(new JsonObject(rest.getString(0)).getString("msg").substring(7));
    assertTrue(firstOfRest >= inReply && firstOfRest <= total - rest.size(),
        "from where the first login stopped writing: " + firstOfRest);
  }

  @Test
  void liveMessagesToALegacySessionHaveTheClassicShapeAndNoOtherPushes() {
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    long bob = alice.register(TestClient.uniqueName("bob"), "pw");
    alice.send(new JsonObject().put("msgid", 8).put("groupname", "g").put("groupdesc", "d").put("seq", "g"));
    long group = alice.expect(12).getLong("groupid");
    try (ClassicClient classic = ClassicClient.connect(node.port())) {
      classic.send(new JsonObject().put("msgid", 1).put("id", bob).put("password", "pw"));
      assertEquals(0, classic.recv().getInteger("errno"));
      // the classic client's own requests get no extension acks
      classic.send(new JsonObject().put("msgid", 7).put("id", bob).put("friendid", a));
      classic.send(new JsonObject().put("msgid", 8).put("id", bob).put("groupname", "mine").put("groupdesc", "d"));
      classic.send(new JsonObject().put("msgid", 9).put("id", bob).put("groupid", group));
      classic.expectSilence(Duration.ofMillis(500));
      alice.send(new JsonObject().put("msgid", 6).put("toid", bob).put("msg", "hello classic").put("seq", 2)
          .put("extension", "not for the classic client"));
      assertEquals("delivered", alice.expect(14).getString("status"));
      JsonObject live = classic.recv();
      assertEquals(CLASSIC_ONE_CHAT, live.fieldNames(), live::encode);
      assertEquals(a, live.getLong("id"));
      assertEquals("hello classic", live.getString("msg"));
      alice.send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "hi group").put("seq", 3));
      assertEquals(1, alice.expect(14).getInteger("delivered"));
      JsonObject fromGroup = classic.recv();
      assertEquals(CLASSIC_GROUP_CHAT, fromGroup.fieldNames(), fromGroup::encode);
      assertEquals("hi group", fromGroup.getString("msg"));
    }
  }

  @Test
  void everyRejectionSurvivesTheClassicReadingRule() {
    long id = client().register(TestClient.uniqueName("classic"), "pw");
    try (ClassicClient classic = ClassicClient.connect(node.port())) {
      JsonObject[] rejected = {
          new JsonObject().put("msgid", 1).put("id", 0).put("password", "pw"),
          new JsonObject().put("msgid", 1).put("id", id).put("password", "wrong"),
          new JsonObject().put("msgid", 1).put("id", id).put("password", ""),
          new JsonObject().put("msgid", 4).put("name", "").put("password", "pw"),
          new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("x")).put("password", ""),
      };
      for (JsonObject request : rejected) {
        classic.send(request);
        JsonObject answer = classic.recv();
        assertEquals(request.getInteger("msgid") + 1, answer.getInteger("msgid"), answer::encode);
        assertTrue(answer.getInteger("errno") != 0, answer::encode);
      }
      classic.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "pw"));
      assertEquals(0, classic.recv().getInteger("errno"));
      try (ClassicClient second = ClassicClient.connect(node.port())) {
        second.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "pw"));
        assertEquals(2, second.recv().getInteger("errno"));
      }
    }
  }
}
