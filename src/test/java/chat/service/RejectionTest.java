package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * LOGIN and REG are always answered by their own ack, whatever goes wrong: the legacy client waits
 * for exactly msgid 2 / 5 and would hang on an ERROR.
 */
class RejectionTest extends NodeTestBase {
  private static final String INVALID = "id or password is invalid!";

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("limits", new JsonObject().put("messagesPerSecond", 5).put("messageBurst", 40));
  }

  @Test
  void everyMalformedOrWrongCredentialIsLoginErrno1() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("cred"), "pw");
    List<JsonObject> logins = List.of(
        login().put("id", 0).put("password", "pw"),
        login().put("id", String.valueOf(id)).put("password", "pw"),
        login().put("password", "pw"),
        login().put("id", -id).put("password", "pw"),
        login().put("id", 1.5).put("password", "pw"),
        login().put("id", id),
        login().put("id", id).put("password", ""),
        login().put("id", id).put("password", 12345),
        login().put("id", id).put("password", "x".repeat(AccountService.MAX_PASSWORD_CHARS + 1)),
        login().put("id", id).put("password", "wrong"),
        login().put("id", id).put("token", ""),
        login().put("id", id).put("token", new JsonArray()),
        login().put("id", id).put("token", "forged-forged-forged-forged-forged-forged-f"),
        login().put("id", 987654321L).put("password", "pw"));
    for (JsonObject request : logins) {
      c.send(request);
      JsonObject ack = c.expectRefused(2, 1);
      assertEquals(INVALID, ack.getString("errmsg"), request::encode);
      assertFalse(ack.containsKey("token"), ack::encode);
    }
    // the connection stays usable, and the right password still works
    assertEquals(0, c.login(id, "pw").getInteger("errno"));
  }

  @Test
  void otherLoginRejectionsCarryTheirCodeOnTheLoginAck() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("code"), "pw");
    c.send(login().put("id", id).put("password", "pw").put("seq", new JsonObject()));
    assertEquals(1, c.expectRefused(2, 102).getInteger("re"));
    c.send(login().put("id", id).put("password", "pw").put("seq", "in"));
    assertEquals(0, c.expect(2).getInteger("errno"));
    c.send(login().put("id", id).put("password", "pw").put("seq", "again"));
    JsonObject again = c.expectRefused(2, 105);
    assertEquals("again", again.getString("seq"));
    assertEquals(1, again.getInteger("re"));
  }

  @Test
  void everyRegistrationRejectionIsOnTheRegAck() {
    TestClient c = client();
    String taken = TestClient.uniqueName("taken");
    c.register(taken, "pw");
    List<JsonObject> bad = List.of(
        reg().put("password", "pw"),
        reg().put("name", "").put("password", "pw"),
        reg().put("name", 42).put("password", "pw"),
        reg().put("name", "x".repeat(AccountService.MAX_NAME_CHARS + 1)).put("password", "pw"),
        reg().put("name", TestClient.uniqueName("nopw")),
        reg().put("name", TestClient.uniqueName("emptypw")).put("password", ""),
        reg().put("name", TestClient.uniqueName("longpw")).put("password", "x".repeat(AccountService.MAX_PASSWORD_CHARS + 1)));
    for (JsonObject request : bad) {
      c.send(request.put("seq", "s"));
      JsonObject ack = c.expectRefused(5, 102);
      assertEquals(4, ack.getInteger("re"), request::encode);
      assertEquals("s", ack.getString("seq"));
    }
    c.send(reg().put("name", taken).put("password", "other"));
    c.expectRefused(5, 1);
  }

  @Test
  void aFloodOfLoginsAndRegistrationsIsAnsweredOnTheirAcksWith107() {
    TestClient c = client();
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      burst.append(i % 2 == 0 ? login().put("id", 0).put("password", "pw") : reg().put("name", ""));
      burst.append('\0');
    }
    c.sendRaw(burst.toString());
    int limited = 0;
    for (int i = 0; i < 60; i++) {
      JsonObject m = c.next();
      assertEquals(i % 2 == 0 ? 2 : 5, m.getInteger("msgid"), m::encode);
      int errno = m.getInteger("errno");
      if (errno == 107) {
        limited++;
      } else {
        assertEquals(i % 2 == 0 ? 1 : 102, errno, m::encode);
      }
    }
    assertEquals(true, limited > 0, "the excess is refused with 107");
  }

  private static JsonObject login() {
    return new JsonObject().put("msgid", 1);
  }

  private static JsonObject reg() {
    return new JsonObject().put("msgid", 4);
  }
}
