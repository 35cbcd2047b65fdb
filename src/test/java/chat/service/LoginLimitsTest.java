package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A v2 LOGIN_MSG_ACK tells the node's limits (PROTOCOL.md), a legacy one keeps the classic shape. */
class LoginLimitsTest extends NodeTestBase {
  private static final JsonObject LIMITS = new JsonObject().put("maxTextChars", 300).put("maxFrameBytes", 20_000)
      .put("editSeconds", 600).put("recallSeconds", 60);

  @Override
  protected JsonObject overrides() {
    // two sessions: the token login happens while the password login's session is live
    return new JsonObject().put("limits", LIMITS.copy()).put("sessions", new JsonObject().put("maxPerUser", 2));
  }

  @Test
  void passwordAndTokenLoginsTellTheNodesLimits() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("limits"), "pw");
    JsonObject ack = V2.loginOk(c, id, "pw");
    assertEquals(LIMITS, ack.getJsonObject("limits"), ack::encode);

    JsonObject again = V2.tokenLogin(client(), id, ack.getString("token"));
    assertEquals(0, again.getInteger("errno"), again::encode);
    assertEquals(LIMITS, again.getJsonObject("limits"), again::encode);
  }

  @Test
  void aLegacyLoginGetsNoLimits() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("classic"), "pw");
    JsonObject ack = c.legacyLogin(id, "pw");
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    assertFalse(ack.containsKey("limits"), ack::encode);
  }
}
