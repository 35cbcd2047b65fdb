package chat.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dropped connection: the client logs back in with its token and carries on; what is typed
 * meanwhile is queued and sent after the reconnection; quit does not wait for it.
 */
class ClientReconnectTest extends ClientTestBase {

  @Test
  void reconnectsAfterTheNodeRestartsAndSendsWhatWasTypedMeanwhile() {
    TwoUsers pair = aliceAndBob();

    node.stopNode();
    pair.alice().expect("lost; reconnecting...");
    pair.bob().expect("lost; reconnecting...");
    pair.alice().type("chat:" + pair.bobId() + ":typed while the node was down");
    pair.alice().expect("queued, will send after reconnect");
    node.startNode();
    pair.alice().expect("reconnected as [" + pair.aliceId() + "]" + pair.aliceName());
    pair.alice().expect("sent to [" + pair.bobId() + "]");
    pair.bob().expect("reconnected as [" + pair.bobId() + "]");
    pair.bob().expect("[" + pair.aliceId() + "]" + pair.aliceName() + " said: typed while the node was down");

    pair.alice().type("chat:" + pair.bobId() + ":still there?");
    pair.alice().expect("sent to [" + pair.bobId() + "]: delivered");
    pair.bob().expect("[" + pair.aliceId() + "]" + pair.aliceName() + " said: still there?");
    pair.alice().type("quit");
    assertEquals(0, pair.alice().exitCode());
  }

  @Test
  void quitWhileReconnectingLeavesAtOnceAndSaysWhatWasNotSent() {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");

    node.stopNode();
    alice.expect("lost; reconnecting...");
    alice.type("chat:" + b + ":never sent");
    alice.expect("queued, will send after reconnect");
    long started = System.nanoTime();
    alice.type("quit");
    alice.expect("not sent (left before it was sent): chat:" + b + ":never sent");
    alice.expect("logout: not connected to 127.0.0.1:" + node.port() + ", left without telling the server");
    assertEquals(1, alice.awaitExit(), "a script's queued command failed: " + alice.output());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertTrue(seconds < 10, "quit waited " + seconds + " s; the reconnection window is 60 s");
  }

  @Test
  void theEndOfAScriptsInputWaitsForWhatItQueued() {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");

    node.stopNode();
    alice.expect("lost; reconnecting...");
    alice.type("chat:" + b + ":sent after the restart");
    alice.expect("queued, will send after reconnect");
    alice.close();
    node.startNode();
    alice.expect("reconnected as [" + a + "]");
    alice.expect("sent to [" + b + "]: stored, delivered when they log in");
    alice.expect("logged out");
    assertEquals(0, alice.awaitExit(), alice.output());
  }
}
