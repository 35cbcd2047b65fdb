package chat.client;

import chat.testing.HeldLogin;
import chat.testing.TcpProxy;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node too busy to take a login now (admission control: one login in flight at most, and one held
 * in the store by the test) turns the client's login away with 503 and a retry hint: the client says
 * so, waits, tries again by itself and is in once the node has room; the same for the login after a
 * reconnection. A wrong password is not tried again.
 */
class ClientBackoffTest extends ClientTestBase {
  private static final String WAITING = "the server is busy; trying again in ";

  @Override
  protected JsonObject nodeConfig() {
    return TestNode.cheapPasswordHashing().put("admission", new JsonObject().put("loginsInFlight", 1));
  }

  @Test
  void aLoginTurnedAwayByABusyNodeIsTriedAgainAfterTheHintAndGetsIn(Vertx vertx) {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    try (HeldLogin held = HeldLogin.hold(vertx, node, b, "pw-b")) {
      ClientUnderTest alice = client();
      alice.type("login " + a + " pw-a");
      String waiting = alice.expect(WAITING);
      assertTrue(waiting.matches("the server is busy; trying again in \\d+\\.\\d s\\.\\.\\."), waiting);
      held.release();
      List<String> before = alice.linesUntil("current login user => id:" + a);
      assertTrue(before.stream().allMatch(line -> line.startsWith(WAITING) || line.startsWith("=====")),
          "nothing but more of the same while the node was busy: " + before);
      alice.type("friends");
      alice.expect("friend list");
      alice.type("quit");
      assertEquals(0, alice.exitCode(), alice.output());
    }
  }

  @Test
  void aNodeThatStaysBusyIsGivenUpOnInWords(Vertx vertx) {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    try (HeldLogin held = HeldLogin.hold(vertx, node, b, "pw-b")) {
      ClientUnderTest alice = client();
      alice.type("login " + a + " pw-a");
      for (int i = 0; i < Logins.LOGIN_RETRIES; i++) {
        alice.expect(WAITING);
      }
      assertTrue(alice.nextLine().startsWith("login failed: gave up after " + (Logins.LOGIN_RETRIES + 1)
          + " tries: the server is busy (this node is busy"), alice.output());
      held.release();
      // the person tries again later: in at once
      alice.type("login " + a + " pw-a");
      alice.expect("current login user => id:" + a);
      alice.type("quit");
      assertEquals(1, alice.exitCode(), "a script whose first login failed: " + alice.output());
    }
  }

  @Test
  void aWrongPasswordIsNotTriedAgain() {
    long a = register(name("alice"), "pw-a");
    ClientUnderTest alice = client();
    alice.type("login " + a + " wrong");
    assertEquals(List.of(), alice.linesUntil("login failed: id or password is invalid!"), "said once, at once");
    alice.type("login " + a + " pw-a");
    List<String> between = alice.linesUntil("current login user => id:" + a);
    assertTrue(between.stream().noneMatch(line -> line.contains("trying again")), between::toString);
    alice.type("quit");
    assertEquals(1, alice.exitCode(), "a script whose login failed: " + alice.output());
  }

  @Test
  void theLoginAfterAReconnectionTurnedAwayIsTriedAgainToo(Vertx vertx) {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", node.port());
    try {
      ClientUnderTest alice = clientAt(proxy.port());
      alice.type("login " + a + " pw-a");
      alice.expect("current login user => id:" + a);
      try (HeldLogin held = HeldLogin.hold(vertx, node, b, "pw-b")) {
        proxy.cut();
        proxy.resume();
        alice.expect("lost; reconnecting...");
        alice.expect(WAITING);
        held.release();
        alice.expect("reconnected as [" + a + "]");
      }
      alice.type("friends");
      alice.expect("friend list");
      alice.type("quit");
      assertEquals(0, alice.exitCode(), alice.output());
    } finally {
      proxy.close();
    }
  }
}
