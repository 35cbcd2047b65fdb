package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ERROR codes not covered by the feature tests: 102 on the envelope, 103, 107. */
class ErrorCodesTest extends NodeTestBase {

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("limits", new JsonObject().put("messagesPerSecond", 5).put("messageBurst", 10));
  }

  @Test
  void unknownMsgidIs103AndConnectionStaysOpen() {
    TestClient c = client();
    c.send(new JsonObject().put("msgid", 77).put("seq", 1));
    JsonObject err = c.expectError(103);
    assertEquals(77, err.getInteger("re"));
    assertEquals(1, err.getInteger("seq"));
    // server-to-client msgids are not requests either
    c.send(new JsonObject().put("msgid", 2).put("seq", 2));
    c.expectError(103);
    // msgid 0 is a msgid too: the error names it in re
    c.send(new JsonObject().put("msgid", 0).put("seq", "zero"));
    JsonObject zero = c.expectError(103);
    assertEquals(0, zero.getInteger("re"));
    assertEquals("zero", zero.getString("seq"));
    c.send(new JsonObject().put("msgid", 20).put("seq", 3));
    c.expect(21);
  }

  @Test
  void badEnvelopeIs102() {
    TestClient c = client();
    c.send(new JsonObject().put("hello", "world"));
    assertTrue(c.expectError(102).getString("errmsg").contains("msgid"));
    c.send(new JsonObject().put("msgid", "one"));
    c.expectError(102);
    c.send(new JsonObject().put("msgid", 20).put("seq", new JsonObject()));
    JsonObject err = c.expectError(102);
    assertEquals(20, err.getInteger("re"));
  }

  @Test
  void floodIsRateLimitedWith107ThenRecovers() throws Exception {
    TestClient c = client();
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      burst.append("{\"msgid\":20,\"seq\":").append(i).append("}\0");
    }
    c.sendRaw(burst.toString());
    int pongs = 0;
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      JsonObject m = c.next();
      if (m.getInteger("msgid") == 21) {
        pongs++;
      } else {
        assertEquals(107, m.getInteger("errno"), m::encode);
        assertEquals(20, m.getInteger("re"));
        limited++;
      }
    }
    assertTrue(pongs >= 10, "the burst passes: " + pongs);
    assertTrue(limited > 0, "the excess is refused");
    Thread.sleep(1500);
    c.send(new JsonObject().put("msgid", 20).put("seq", "after"));
    assertEquals("after", c.expect(21).getString("seq"));
  }
}
