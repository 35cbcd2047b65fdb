package chat.admission;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission control: a node runs at most {@code admission.loginsInFlight} logins (and
 * registrations) at once, and at most {@code admission.perAddressInFlight} expensive requests per
 * client address (here 2 and 1); the rest are refused at once with a retry hint instead of queueing, and chat
 * goes on meanwhile. Registrations here hash a password with an expensive setting, so each takes
 * long enough for the others to arrive while it runs.
 */
class AdmissionTest extends NodeTestBase {
  @Override
  protected JsonObject overrides() {
    return new JsonObject()
        .put("proxyProtocol", true)
        .put("passwordHashing", new JsonObject().put("memoryKiB", 65536).put("iterations", 4))
        .put("limits", new JsonObject().put("exemptNetworks", new JsonArray()))
        .put("admission", new JsonObject().put("loginsInFlight", 2).put("perAddressInFlight", 1));
  }

  @Test
  void loginsBeyondTheNodesLaneAreRefusedAtOnceWithARetryHintAndChatGoesOn() {
    TestClient alice = TestClient.connectAs(node.port(), "198.51.100.1");
    TestClient bob = TestClient.connectAs(node.port(), "198.51.100.2");
    long a = alice.registerAndLogin("alice");
    long b = bob.registerAndLogin("bob");
    // twelve registrations at once, each from an address of its own: two run, the others are refused
    List<TestClient> storm = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      TestClient c = TestClient.connectAs(node.port(), "203.0.113." + (10 + i));
      storm.add(c);
      c.send(new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("storm")).put("password", "pw")
          .put("seq", i));
    }
    // chat takes no lane: it goes through while the logins' lane is full
    alice.chat(b, "while they register", "c1");
    JsonObject ack = alice.expect(14);
    assertEquals("delivered", ack.getString("status"), ack::encode);
    assertEquals("while they register", bob.expect(6).getString("msg"));
    int refused = 0;
    for (TestClient c : storm) {
      JsonObject reg = c.expect(5);
      if (reg.getInteger("errno") != 0) {
        refused++;
        assertEquals(503, reg.getInteger("errno"), reg::encode);
        assertTrue(reg.getInteger("retry") > 0, "a retry hint: " + reg.encode());
        assertTrue(reg.getString("errmsg").contains("busy"), reg::encode);
        assertEquals(4, reg.getInteger("re"));
      }
    }
    assertTrue(refused >= 8, refused + " of 12 refused with two in flight at most");
    // once the lane is free again, a retry gets in
    TestClient again = storm.get(storm.size() - 1);
    again.send(new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("retry")).put("password", "pw"));
    assertEquals(0, again.expect(5).getInteger("errno"));
    storm.forEach(TestClient::close);
    alice.close();
    bob.close();
    assertTrue(a > 0);
  }

  @Test
  void anAddressWithTooManyRequestsUnderWayIsRefused107AndOthersAreNot() {
    List<TestClient> same = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      TestClient c = TestClient.connectAs(node.port(), "192.0.2.50");
      same.add(c);
      c.send(new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("same")).put("password", "pw"));
    }
    int limited = 0;
    for (TestClient c : same) {
      JsonObject reg = c.expect(5);
      if (reg.getInteger("errno") == 107) {
        limited++;
        assertTrue(reg.getInteger("retry") > 0, reg::encode);
      } else {
        assertEquals(0, reg.getInteger("errno"), reg::encode);
      }
    }
    assertEquals(1, limited, "one at a time from one address: the second refused");
    try (TestClient other = TestClient.connectAs(node.port(), "192.0.2.51")) {
      other.send(new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("other")).put("password", "pw"));
      assertEquals(0, other.expect(5).getInteger("errno"));
    }
    same.forEach(TestClient::close);
  }
}
