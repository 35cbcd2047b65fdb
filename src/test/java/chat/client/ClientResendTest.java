package chat.client;

import chat.testing.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chat messages carry a cmid and are resent with it after a reconnection until acknowledged: the
 * recipient gets each once, and the conversation holds each once.
 */
class ClientResendTest extends ClientTestBase {

  @Test
  void aMessageWhoseAnswerWasLostIsResentAndArrivesOnce(Vertx vertx) {
    long a = register(name("alice"), "pw-a");
    String bobName = name("bob");
    long b = register(bobName, "pw-b");
    ClientUnderTest bob = loggedIn(b, "pw-b");
    try (MutingProxy proxy = MutingProxy.start(vertx, node.port())) {
      ClientUnderTest alice = clientAt(proxy.port());
      alice.type("login " + a + " pw-a");
      alice.expect("current login user => id:" + a);

      // the node takes the message and delivers it; its CHAT_ACK is lost with the connection
      proxy.muteAnswers();
      alice.type("chat:" + b + ":exactly once");
      bob.expect("[" + a + "]");
      proxy.cut();
      alice.expect("lost; reconnecting...");
      proxy.resume();
      alice.expect("reconnected as [" + a + "]");
      assertEquals("sent to [" + b + "]: confirmed after reconnect (#1)", alice.expect("sent to [" + b + "]"));

      alice.type("chat:" + b + ":and then this");
      alice.expect("sent to [" + b + "]: delivered");
      assertTrue(bob.expect(" said: ").endsWith(" said: and then this"), bob.output());
      alice.type("quit");
      assertEquals(0, alice.exitCode(), alice.output());
    }
    assertHeldOnce(bob, b, "pw-b", a, "exactly once", "and then this");
  }

  @Test
  void aMessageLostOnTheWayIsResentAndArrivesOnce(Vertx vertx) throws InterruptedException {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    ClientUnderTest bob = loggedIn(b, "pw-b");
    try (MutingProxy proxy = MutingProxy.start(vertx, node.port())) {
      ClientUnderTest alice = clientAt(proxy.port());
      alice.type("login " + a + " pw-a");
      alice.expect("current login user => id:" + a);
      alice.type("chat:" + b + ":before");
      alice.expect("sent to [" + b + "]: delivered");
      bob.expect(" said: before");

      // the message never reaches the node: it goes out again on the next connection
      proxy.muteRequests();
      alice.type("chat:" + b + ":lost on the way");
      assertTrue(proxy.awaitDroppedRequest(ClientUnderTest.TIMEOUT), "the client sent nothing");
      proxy.cut();
      alice.expect("lost; reconnecting...");
      proxy.resume();
      alice.expect("reconnected as [" + a + "]");
      assertEquals("sent to [" + b + "]: confirmed after reconnect (#2)", alice.expect("sent to [" + b + "]"));
      assertTrue(bob.expect(" said: ").endsWith(" said: lost on the way"), bob.output());
      alice.type("quit");
      assertEquals(0, alice.exitCode(), alice.output());
    }
    assertHeldOnce(bob, b, "pw-b", a, "before", "lost on the way");
  }

  @Test
  void aMessageTypedWhileTheNodeIsDownIsSentOnceWhenItIsBack() {
    TwoUsers pair = aliceAndBob();
    long a = pair.aliceId();
    long b = pair.bobId();

    node.stopNode();
    pair.alice().expect("lost; reconnecting...");
    pair.alice().type("chat:" + b + ":typed while the node was down");
    pair.alice().expect("queued, will send after reconnect");
    node.startNode();
    pair.alice().expect("reconnected as [" + a + "]");
    pair.alice().expect("sent to [" + b + "]: ");
    pair.bob().expect("reconnected as [" + b + "]");
    assertTrue(pair.bob().expect(" said: ").endsWith(" said: typed while the node was down"), pair.bob().output());

    pair.alice().type("chat:" + b + ":back to normal");
    pair.alice().expect("sent to [" + b + "]: delivered");
    assertTrue(pair.bob().expect(" said: ").endsWith(" said: back to normal"), pair.bob().output());
    pair.alice().type("quit");
    assertEquals(0, pair.alice().exitCode(), pair.alice().output());
    assertHeldOnce(pair.bob(), b, "pw-b", a, "typed while the node was down", "back to normal");
  }

  /**
   * The recipient's history shows exactly {@code texts}, in order; then, the client logged out, a
   * SYNC from the start of the conversation on the wire shows them once each.
   */
  private void assertHeldOnce(ClientUnderTest recipient, long me, String password, long peer, String... texts) {
    recipient.type("history:" + peer);
    recipient.expect("history [" + peer + "]");
    for (int i = 0; i < texts.length; i++) {
      String line = recipient.nextLine();
      assertTrue(line.startsWith("#" + (i + 1) + " ") && line.endsWith(" said: " + texts[i]), recipient.output());
    }
    assertEquals("(#1-#" + texts.length + " of " + texts.length + "; nothing older)", recipient.nextLine());
    recipient.type("quit");
    assertEquals(0, recipient.exitCode(), recipient.output());

    try (TestClient wire = TestClient.connect(node.port())) {
      JsonObject login = TestClient.retryWhileInUse(() -> wire.login(me, password));
      assertEquals(0, login.getInteger("errno"), login::encode);
      String conv = "p:" + Math.min(me, peer) + ":" + Math.max(me, peer);
      wire.send(new JsonObject().put("msgid", 30).put("conv", conv).put("after", 0).put("limit", 500).put("seq", 1));
      JsonObject ack = wire.expect(31);
      JsonArray msgs = ack.getJsonArray("msgs");
      assertEquals(texts.length, msgs.size(), ack::encode);
      for (int i = 0; i < texts.length; i++) {
        assertEquals(texts[i], msgs.getJsonObject(i).getString("msg"), ack::encode);
        assertEquals(i + 1, msgs.getJsonObject(i).getLong("cseq"), ack::encode);
      }
      assertEquals(texts.length, ack.getLong("last"), ack::encode);
    }
  }
}
