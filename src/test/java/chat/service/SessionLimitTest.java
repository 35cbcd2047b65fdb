package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.V2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many sessions a user may hold with the default configuration (PROTOCOL.md, "Legacy sessions"
 * and "Sessions, presence and social changes (v2)"): five v2 sessions, the sixth told so in plain
 * words; a legacy login keeps the classic single login; a revoked token at the limit is a bad
 * credential, not a sign that the user is online; a new session is not owed what another one of the
 * user was pushed just before.
 */
class SessionLimitTest extends NodeTestBase {
  private static final String TOO_MANY = "signed in on too many devices (5): sign out of one";
  private static final String IN_USE = "this account is using, input another!";

  @Override
  protected JsonObject overrides() {
    return TestNode.cheapPasswordHashing();
  }

  /** Five v2 sessions of a new user (password "pw"), the first one's login ack first. */
  private List<JsonObject> fiveSessions(long id) {
    List<JsonObject> acks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      acks.add(V2.loginOk(client(), id, "pw"));
    }
    return acks;
  }

  @Test
  void fiveV2SessionsByDefaultAndTheSixthIsToldWhyInPlainWords() {
    long id = client().register(TestClient.uniqueName("many"), "pw");
    fiveSessions(id);
    JsonObject sixth = V2.login(client(), id, "pw");
    assertEquals(2, sixth.getInteger("errno"), sixth::encode);
    assertEquals(TOO_MANY, sixth.getString("errmsg"));
  }

  @Test
  void aLegacyLoginKeepsTheClassicSingleLogin() {
    long id = client().register(TestClient.uniqueName("classic"), "pw");
    TestClient v2 = client();
    V2.loginOk(v2, id, "pw");
    JsonObject refused = client().legacyLogin(id, "pw");
    assertEquals(2, refused.getInteger("errno"), "a v2 session is live: " + refused.encode());
    assertEquals(IN_USE, refused.getString("errmsg"));

    V2.logout(v2);
    TestClient classic = client();
    assertEquals(0, TestClient.retryWhileInUse(() -> classic.legacyLogin(id, "pw")).getInteger("errno"));
    assertEquals(2, client().legacyLogin(id, "pw").getInteger("errno"), "one classic session at a time");
    // v2 sessions beside it, within the limit
    V2.loginOk(client(), id, "pw");
  }

  @Test
  void aRevokedTokenAtTheLimitIsRefusedAsInvalidAndALiveOneAsInUse() {
    long id = client().register(TestClient.uniqueName("revoked"), "pw");
    TestClient first = client();
    String revoked = V2.loginOk(first, id, "pw").getString("token");
    V2.logout(first);
    List<JsonObject> five = fiveSessions(id);

    JsonObject withRevoked = V2.tokenLogin(client(), id, revoked);
    assertEquals(1, withRevoked.getInteger("errno"), "says nothing of the user's sessions: " + withRevoked.encode());
    assertEquals("id or password is invalid!", withRevoked.getString("errmsg"));

    JsonObject withLive = V2.tokenLogin(client(), id, five.get(0).getString("token"));
    assertEquals(2, withLive.getInteger("errno"), withLive::encode);
    assertEquals(TOO_MANY, withLive.getString("errmsg"));
  }

  @Test
  void aNewSessionIsNotOwedWhatTheUsersOtherSessionWasJustPushed() {
    TestClient bob = client();
    long b = bob.registerAndLogin("bob");
    long a = client().register(TestClient.uniqueName("alice"), "pw");
    TestClient phone = client();
    V2.loginOk(phone, a, "pw");
    for (int round = 0; round < 20; round++) {
      String text = "round " + round;
      bob.chatDelivered(a, text, "m" + round);
      assertEquals(text, phone.expect(6).getString("msg"));
      // right after the push: the phone's cursor is only in the node's memory yet
      TestClient laptop = client();
      JsonArray owed = V2.loginOk(laptop, a, "pw").getJsonArray("offlinemsg");
      assertEquals(new JsonArray(), owed, "round " + round + ": pushed to the phone already");
      V2.logout(laptop);
    }
  }

  @Test
  void aNewSessionIsNotShownItsUsersOwnHistory() {
    TestClient bob = client();
    long b = bob.registerAndLogin("bob");
    long a = client().register(TestClient.uniqueName("alice"), "pw");
    for (int round = 0; round < 10; round++) {
      TestClient before = client();
      V2.loginOk(before, a, "pw");
      before.chatDelivered(b, "from alice " + round, "a" + round);
      assertEquals("from alice " + round, bob.expect(6).getString("msg"));
      V2.logout(before);
      // a new session right after: what alice wrote before it is history (SYNC), not a push
      TestClient after = client();
      V2.loginOk(after, a, "pw");
      bob.chatDelivered(a, "to alice " + round, "b" + round);
      // (what others wrote in the second before it started may come again: README, "Several sessions")
      String text;
      do {
        text = after.expect(6).getString("msg");
        assertTrue(text.startsWith("to alice "), "round " + round + ": alice's own " + text);
      } while (!text.equals("to alice " + round));
      V2.logout(after);
    }
  }
}
