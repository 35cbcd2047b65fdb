package chat.web;

import chat.testing.HeldLogin;
import chat.testing.StoreKind;
import chat.testing.TcpProxy;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node too busy to take a login now (admission control: one login in flight at most, and one held
 * in the store by the test) turns the page's login away with 503 and a retry hint: the login form
 * says so and tries again by itself, and the page is in once the node has room; a second click
 * stops it, and the form says that. The login after a reconnection waits and says so too.
 */
class WebBackoffTest extends WebTestBase {
  private static final String WAITING = "Server busy — trying again in \\d+(\\.\\d)? s";

  @Override
  StoreKind store() {
    return StoreKind.MYSQL;
  }

  @Override
  JsonObject overrides() {
    return TestNode.cheapPasswordHashing().put("admission", new JsonObject().put("loginsInFlight", 1));
  }

  /** Alice's and Bob's ids, registered with passwords pw-a and pw-b. */
  private List<Long> aliceAndBob() {
    try (TestClient c = node.connect()) {
      return List.of(c.register(TestClient.uniqueName("alice"), "pw-a"), c.register(TestClient.uniqueName("bob"), "pw-b"));
    }
  }

  @Test
  void aLoginTurnedAwayByABusyNodeSaysSoAndIsTriedAgainByItself() {
    List<Long> ids = aliceAndBob();
    ChatPage alice = browser("alice");
    try (HeldLogin held = HeldLogin.hold(vertx, node, ids.get(1), "pw-b")) {
      alice.submitLogin(ids.get(0), "pw-a");
      String line = alice.loginRetryShown();
      assertTrue(line.matches(WAITING), line);
      assertEquals("Cancel", alice.loginButton().getText(), "a second click stops it");
      held.release();
      assertEquals((long) ids.get(0), alice.myId());
    }
    alice.connected();

    // the pauses: the hint doubled for each refusal in a row, up to half again at random, at most 10 s
    @SuppressWarnings("unchecked")
    List<List<Long>> pauses = (List<List<Long>>) alice.script("return import('./js/backoff.js').then(m =>"
        + " [0, 1, 2, 3, 4, 5, 6].map(n => [m.admissionPause(250, n, 0), m.admissionPause(250, n, 0.999999)]));");
    assertEquals(List.of(List.of(250L, 375L), List.of(500L, 750L), List.of(1000L, 1500L), List.of(2000L, 3000L),
        List.of(4000L, 6000L), List.of(6667L, 10000L), List.of(6667L, 10000L)), pauses);
    assertEquals(List.of(1000L, 30000L), alice.script("return import('./js/backoff.js').then(m =>"
        + " [m.admissionPause(undefined, 0, 0), m.admissionPause(30000, 3, 0.5)]);"), "no hint: 1 s; never sooner than the hint");
    assertEquals("Too many logins from your address — trying again in 1.4 s",
        alice.script("return import('./js/backoff.js').then(m => m.waitingText(107, 1380));"));
  }

  @Test
  void aSecondClickStopsTheRetryingAndTheFormSaysSo() {
    List<Long> ids = aliceAndBob();
    ChatPage alice = browser("alice");
    try (HeldLogin held = HeldLogin.hold(vertx, node, ids.get(1), "pw-b")) {
      alice.submitLogin(ids.get(0), "pw-a");
      assertTrue(alice.loginRetryShown().matches(WAITING));
      alice.loginButton().click();
      assertEquals("Stopped: not logged in (server busy).", alice.loginErrorShown());
      assertEquals("", alice.script("return document.getElementById('login-retry').textContent;"));
      assertEquals("Log in", alice.loginButton().getText());
      assertEquals("signed-out", alice.phase());
      held.release();
    }
    // the person tries again once the node has room: in at once
    alice.loginButton().click();
    assertEquals((long) ids.get(0), alice.myId());
  }

  @Test
  void theLoginAfterAReconnectionTurnedAwaySaysSoAndIsTriedAgain() {
    List<Long> ids = aliceAndBob();
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", node.webPort());
    open.add(proxy::close);
    ChatPage alice = ChatPage.open("http://127.0.0.1:" + proxy.port() + "/", "alice");
    open.add(alice);
    alice.login(ids.get(0), "pw-a");
    alice.connected();
    try (HeldLogin held = HeldLogin.hold(vertx, node, ids.get(1), "pw-b")) {
      proxy.cut();
      proxy.resume();
      String note = alice.until("the page saying that the node is busy", () -> {
        Object text = alice.script("return document.getElementById('link-state').textContent;");
        return text.toString().startsWith("Server busy") ? text.toString() : null;
      });
      assertTrue(note.matches(WAITING), note);
      held.release();
    }
    alice.connected();
  }
}
