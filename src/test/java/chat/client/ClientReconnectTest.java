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
    QueuedChat queued = chatQueuedWhileTheNodeIsDown("never sent");
    ClientUnderTest alice = queued.alice();
    long started = System.nanoTime();
    alice.type("quit");
    alice.expect("not sent (left before it was sent): chat:" + queued.bobId() + ":never sent");
    alice.expect("logout: not connected to 127.0.0.1:" + node.port() + ", left without telling the server");
    assertEquals(1, alice.awaitExit(), "a script's queued command failed: " + alice.output());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertTrue(seconds < 10, "quit waited " + seconds + " s; the reconnection window is 60 s");
  }

  @Test
  void theEndOfAScriptsInputWaitsForWhatItQueued() {
    QueuedChat queued = chatQueuedWhileTheNodeIsDown("sent after the restart");
    ClientUnderTest alice = queued.alice();
    alice.close();
    node.startNode();
    alice.expect("reconnected as [" + queued.aliceId() + "]");
    alice.expect("sent to [" + queued.bobId() + "]: stored, delivered when they log in");
    alice.expect("logged out");
    assertEquals(0, alice.awaitExit(), alice.output());
  }

  /** Alice's client, and a chat to Bob (registered, never logged in) it queued while reconnecting. */
  private record QueuedChat(ClientUnderTest alice, long aliceId, long bobId) {
  }

  /** Registers alice (pw-a) and bob (pw-b), logs in alice, stops the node and has alice type {@code text} to bob. */
  private QueuedChat chatQueuedWhileTheNodeIsDown(String text) {
    long a = register(name("alice"), "pw-a");
    long b = register(name("bob"), "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");

    node.stopNode();
    alice.expect("lost; reconnecting...");
    alice.type("chat:" + b + ":" + text);
    alice.expect("queued, will send after reconnect");
    return new QueuedChat(alice, a, b);
  }
}
