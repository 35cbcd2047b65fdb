package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REG, LOGIN by password and token, LOGINOUT, one session per user. */
class AccountTest extends NodeTestBase {

  @Test
  void registerThenLoginWithTheLegacyReplyShape() {
    TestClient c = client();
    String name = TestClient.uniqueName("li si");
    long id = c.register(name, "pw");
    assertTrue(id > 0);
    JsonObject ack = c.login(id, "pw");
    assertEquals(0, ack.getInteger("errno"));
    assertEquals(id, ack.getLong("id"));
    assertEquals(name, ack.getString("name"));
    assertEquals(0, ack.getJsonArray("friends").size());
    assertEquals(0, ack.getJsonArray("groups").size());
    assertEquals(0, ack.getJsonArray("offlinemsg").size());
    assertTrue(ack.getString("token").length() >= 22, "a token of at least 128 bits");
  }

  @Test
  void duplicateNameIsRefused() {
    TestClient c = client();
    String name = TestClient.uniqueName("dup");
    c.register(name, "pw");
    c.send(new JsonObject().put("msgid", 4).put("name", name).put("password", "other").put("seq", 9));
    JsonObject ack = c.expect(5);
    assertEquals(1, ack.getInteger("errno"));
    assertNotNull(ack.getString("errmsg"));
    assertEquals(9, ack.getInteger("seq"));
  }

  @Test
  void wrongPasswordOrUnknownIdIsErrno1() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("u"), "right");
    JsonObject wrong = c.login(id, "wrong");
    assertEquals(1, wrong.getInteger("errno"));
    assertEquals("id or password is invalid!", wrong.getString("errmsg"));
    assertEquals(1, c.login(987654321L, "x").getInteger("errno"));
    // the connection is still usable
    assertEquals(0, c.login(id, "right").getInteger("errno"));
  }

  @Test
  void aClassicLoginElsewhereIsErrno2UntilTheFirstLogsOut() {
    TestClient first = client();
    long id = first.registerAndLogin("twice");
    TestClient second = client();
    JsonObject refused = second.legacyLogin(id, "pw-twice");
    assertEquals(2, refused.getInteger("errno"));
    assertEquals("this account is using, input another!", refused.getString("errmsg"));
    first.send(new JsonObject().put("msgid", 3).put("id", id).put("seq", "bye"));
    assertEquals("bye", first.expect(15).getString("seq"));
    assertEquals(0, second.legacyLogin(id, "pw-twice").getInteger("errno"));
  }

  @Test
  void droppedConnectionFreesTheUser() {
    TestClient first = client();
    long id = first.registerAndLogin("drop");
    first.close();
    TestClient second = client();
    // the close is noticed asynchronously; a retry or two may still find the old session
    JsonObject ack = TestClient.retryWhileInUse(() -> second.login(id, "pw-drop"));
    assertEquals(0, ack.getInteger("errno"), ack::encode);
  }

  @Test
  void secondLoginOnTheSameConnectionIsForbiddenAndChangesNothing() {
    TestClient c = client();
    long id = c.registerAndLogin("same");
    long other = client().register(TestClient.uniqueName("other"), "pw");
    c.send(new JsonObject().put("msgid", 1).put("id", other).put("password", "pw").put("seq", 1));
    JsonObject err = c.expectRefused(2, 105);
    assertEquals(1, err.getInteger("re"));
    assertEquals(1, err.getInteger("seq"));
    // still logged in as the first user
    c.send(new JsonObject().put("msgid", 20).put("seq", 2));
    c.expect(21);
    TestClient elsewhere = client();
    assertEquals(2, elsewhere.legacyLogin(id, "pw-same").getInteger("errno"), "the first login holds");
  }

  @Test
  void tokenLoginAfterDropAndRevokedByLogout() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("tok"), "pw");
    String token = c.login(id, "pw").getString("token");
    c.close();
    TestClient again = client();
    JsonObject ack = TestClient.retryWhileInUse(() -> tokenLogin(again, id, token));
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    assertEquals(token, ack.getString("token"));
    again.send(new JsonObject().put("msgid", 3));
    again.expectSilence(Duration.ofMillis(300));
    assertEquals(1, tokenLogin(again, id, token).getInteger("errno"), "LOGINOUT revokes the token");
    assertEquals(1, tokenLogin(again, id + 1, "forged-token").getInteger("errno"));
  }

  @Test
  void aForgedTokenIsRefusedWithoutRevealingThatTheUserIsOnline() {
    TestClient owner = client();
    long id = owner.register(TestClient.uniqueName("online"), "pw");
    String token = owner.login(id, "pw").getString("token");
    // same length and alphabet as a real token, but not issued for this id: refused as invalid
    // (errno 1) before the server looks at presence (SessionLimitTest: also at the session limit)
    String forged = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
    assertEquals(1, tokenLogin(client(), id, forged).getInteger("errno"));
    assertEquals(0, tokenLogin(client(), id, token).getInteger("errno"), "the real token opens a second session");
  }

  @Test
  void messagesSentWhileTheRecipientLogsInReachThatSessionAfterItsLoginReply() {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    long bob = client().register(TestClient.uniqueName("bob"), "pw");
    int sent = 0;
    for (int round = 0; round < 20; round++) {
      int from = sent;
      for (; sent < from + 10; sent++) {
        alice.chat(bob, "m" + sent, sent);
      }
      TestClient session = client();
      // the login reply is the very next message: nothing may come before it
      JsonObject reply = session.login(bob, "pw");
      assertEquals(0, reply.getInteger("errno"), reply::encode);
      Set<String> received = new HashSet<>();
      JsonArray offline = reply.getJsonArray("offlinemsg");
      for (int i = 0; i < offline.size(); i++) {
        assertTrue(received.add(new JsonObject(offline.getString(i)).getString("msg")), "no message twice");
      }
      for (int i = from; i < sent; i++) {
        alice.expect(14);
      }
      // every message of the round reaches this very session, whenever it was stored: in the
      // reply, live, or pushed right after the reply; none waits for another login
      while (received.size() < sent - from) {
        JsonObject live = session.next();
        assertEquals(6, live.getInteger("msgid"), live::encode);
        assertTrue(received.add(live.getString("msg")), () -> "no message twice: " + live.encode());
      }
      for (int i = from; i < sent; i++) {
        assertTrue(received.contains("m" + i), "m" + i + " reached bob");
      }
      // LOGINOUT unbinds the session before its ack: nothing of the next round can reach it
      session.send(new JsonObject().put("msgid", 3).put("seq", "bye"));
      session.expect(15);
      session.close();
    }
  }

  @Test
  void tokenOfAnotherUserIsRejected() {
    TestClient a = client();
    long idA = a.register(TestClient.uniqueName("a"), "pw");
    String tokenA = a.login(idA, "pw").getString("token");
    TestClient b = client();
    long idB = b.register(TestClient.uniqueName("b"), "pw");
    assertEquals(1, tokenLogin(b, idB, tokenA).getInteger("errno"));
  }

  @Test
  void pingBeforeLoginAndOtherRequestsNeedLogin() {
    TestClient c = client();
    c.send(new JsonObject().put("msgid", 20).put("seq", 5));
    assertEquals(5, c.expect(21).getInteger("seq"));
    c.send(new JsonObject().put("msgid", 6).put("toid", 1).put("msg", "hi").put("seq", 6));
    JsonObject err = c.expectError(104);
    assertEquals(6, err.getInteger("re"));
    assertEquals(6, err.getInteger("seq"));
  }

  private static JsonObject tokenLogin(TestClient c, long id, String token) {
    c.send(new JsonObject().put("msgid", 1).put("id", id).put("token", token));
    return c.expect(2);
  }
}
