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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONE_CHAT: live, offline, acks, identity rewriting, text limits. */
class ChatTest extends NodeTestBase {

  @Override
  protected JsonObject overrides() {
    // some tests here send more than a normal client would; rate limits have their own test
    return new JsonObject().put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messageBurst", 100_000));
  }

  @Test
  void liveChatIsForwardedWithTheSendersIdentity() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    pair.alice().send(new JsonObject().put("msgid", 6).put("id", pair.aliceId()).put("name", "whatever")
        .put("toid", pair.bobId()).put("msg", "hello").put("time", "2026-11-25 10:00:00").put("seq", 1));
    JsonObject got = pair.bob().expect(6);
    assertEquals(pair.aliceId(), got.getLong("id"));
    assertEquals("hello", got.getString("msg"));
    assertEquals(pair.bobId(), got.getLong("toid"));
    assertEquals("2026-11-25 10:00:00", got.getString("time"));
    assertNotNull(got.getLong("mid"));
    assertTrue(!got.containsKey("seq"), "the sender's seq is not forwarded");
    JsonObject ack = pair.alice().expect(14);
    assertEquals("delivered", ack.getString("status"));
    assertEquals(6, ack.getInteger("re"));
    assertEquals(1, ack.getInteger("seq"));
    assertEquals(got.getLong("mid"), ack.getLong("mid"));
  }

  @Test
  void spoofedSenderIdIsRewritten() {
    TestClient mallory = client();
    long m = mallory.registerAndLogin("mallory");
    TestClient victim = client();
    long v = victim.registerAndLogin("victim");
    TestClient bob = client();
    long b = bob.registerAndLogin("bob");
    mallory.send(new JsonObject().put("msgid", 6).put("id", v).put("name", "victim").put("toid", b)
        .put("msg", "send money"));
    JsonObject got = bob.expect(6);
    assertEquals(m, got.getLong("id"));
    assertTrue(got.getString("name").startsWith("mallory"), got.encode());
    victim.expectSilence(Duration.ofMillis(200));
  }

  @Test
  void withoutSeqTheLegacySenderGetsNothingBack() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    pair.alice().chat(pair.bobId(), "quiet", null);
    pair.bob().expect(6);
    pair.alice().expectSilence(Duration.ofMillis(300));
  }

  @Test
  void offlineMessagesAreDeliveredAtLoginOnceAndOnlyOnce() {
    TestClient bobSetup = client();
    String name = TestClient.uniqueName("bob");
    long b = bobSetup.register(name, "pw");
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    alice.chat(b, "while you were out", 1);
    JsonObject ack = alice.expect(14);
    assertEquals("stored", ack.getString("status"));

    TestClient bob = client();
    JsonObject login = bob.login(b, "pw");
    JsonArray offline = login.getJsonArray("offlinemsg");
    assertEquals(1, offline.size());
    JsonObject msg = new JsonObject(offline.getString(0));
    assertEquals(6, msg.getInteger("msgid"));
    assertEquals(a, msg.getLong("id"));
    assertEquals("while you were out", msg.getString("msg"));
    assertEquals(ack.getLong("mid"), msg.getLong("mid"));

    bob.send(new JsonObject().put("msgid", 3).put("seq", 1));
    bob.expect(15);
    assertEquals(0, bob.login(b, "pw").getJsonArray("offlinemsg").size(), "delivered once only");
  }

  @Test
  void sixtyOfflineMessagesAllArriveInOrder() {
    TestClient setup = client();
    long b = setup.register(TestClient.uniqueName("bob"), "pw");
    TestClient alice = client();
    alice.registerAndLogin("alice");
    for (int i = 0; i < 60; i++) {
      alice.chat(b, "message " + i, i);
    }
    for (int i = 0; i < 60; i++) {
      assertEquals("stored", alice.expect(14).getString("status"));
    }
    JsonArray offline = client().login(b, "pw").getJsonArray("offlinemsg");
    assertEquals(60, offline.size());
    for (int i = 0; i < 60; i++) {
      assertEquals("message " + i, new JsonObject(offline.getString(i)).getString("msg"));
    }
  }

  @Test
  void moreThanOneLoginReplyOfOfflineMessagesKeepsComing() {
    TestClient setup = client();
    long b = setup.register(TestClient.uniqueName("bob"), "pw");
    TestClient alice = client();
    alice.registerAndLogin("alice");
    int total = LoginService.OFFLINE_PAGE + 50;
    for (int i = 0; i < total; i++) {
      alice.chat(b, "m" + i, i);
      if (i % 100 == 99) {
        for (int k = 0; k < 100; k++) {
          alice.expect(14);
        }
      }
    }
    for (int k = 0; k < total % 100; k++) {
      alice.expect(14);
    }
    TestClient bob = client();
    JsonArray first = bob.login(b, "pw").getJsonArray("offlinemsg");
    assertEquals(LoginService.OFFLINE_PAGE, first.size());
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rest.add(bob.expect(6).getString("msg"));
    }
    assertEquals("m" + LoginService.OFFLINE_PAGE, rest.get(0));
    assertEquals("m" + (total - 1), rest.get(49));
  }

  @Test
  void unicodeAndQuotesRoundTripLiveAndOffline() {
    String text = "h\u00e9llo \u4f60\u597d \ud83d\ude00 \"quoted\" \\back\\slash\n\ttab </script>";
    TestClient alice = client();
    alice.registerAndLogin("\u7528\u6237 \ud83d\ude00");
    TestClient bob = client();
    long b = bob.registerAndLogin("bob");
    alice.chat(b, text, 1);
    assertEquals(text, bob.expect(6).getString("msg"));
    bob.send(new JsonObject().put("msgid", 3).put("seq", 1));
    bob.expect(15);
    alice.expect(14);
    alice.chat(b, text, 2);
    alice.expect(14);
    JsonArray offline = bob.login(b, "pw-bob").getJsonArray("offlinemsg");
    assertEquals(text, new JsonObject(offline.getString(0)).getString("msg"));
  }

  @Test
  void longestAllowedTextIsStoredWholeAndLongerIsError108() {
    TestClient setup = client();
    long b = setup.register(TestClient.uniqueName("bob"), "pw");
    TestClient alice = client();
    alice.registerAndLogin("alice");
    String longest = "\ud83d\ude00".repeat(4096);
    alice.chat(b, longest, 1);
    assertEquals("stored", alice.expect(14).getString("status"));
    alice.chat(b, longest + "x", 2);
    JsonObject err = alice.expectError(108);
    assertEquals(2, err.getInteger("seq"));
    JsonArray offline = client().login(b, "pw").getJsonArray("offlinemsg");
    assertEquals(1, offline.size());
    assertEquals(longest, new JsonObject(offline.getString(0)).getString("msg"));
  }

  @Test
  void chatToAMissingUserIs106AndStoresNothing() {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    alice.chat(99_999_999L, "anyone?", 7);
    JsonObject err = alice.expectError(106);
    assertEquals(6, err.getInteger("re"));
    assertEquals(7, err.getInteger("seq"));
  }

  @Test
  void badFieldsAre102AndTheConnectionStaysOpen() {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    alice.send(new JsonObject().put("msgid", 6).put("msg", "no toid").put("seq", 1));
    assertTrue(alice.expectError(102).getString("errmsg").contains("toid"));
    alice.send(new JsonObject().put("msgid", 6).put("toid", "abc").put("msg", "x").put("seq", 2));
    alice.expectError(102);
    alice.send(new JsonObject().put("msgid", 6).put("toid", -4).put("msg", "x").put("seq", 3));
    alice.expectError(102);
    alice.send(new JsonObject().put("msgid", 6).put("toid", 1).put("msg", 5).put("seq", 4));
    alice.expectError(102);
    alice.send(new JsonObject().put("msgid", 20).put("seq", 5));
    alice.expect(21);
  }
}
