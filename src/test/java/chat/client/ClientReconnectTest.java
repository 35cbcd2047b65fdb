package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dropped connection: the client logs back in with its token and carries on. */
class ClientReconnectTest extends ClientTestBase {

  @Test
  void reconnectsAfterTheNodeRestarts() {
    String aliceName = name("alice");
    long a = register(aliceName, "pw-a");
    long b = register(name("bob"), "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");
    ClientUnderTest bob = loggedIn(b, "pw-b");

    node.stopNode();
    alice.expect("lost; reconnecting...");
    bob.expect("lost; reconnecting...");
    node.startNode();
    alice.expect("reconnected as [" + a + "]" + aliceName);
    bob.expect("reconnected as [" + b + "]");

    alice.type("chat:" + b + ":still there?");
    alice.expect("sent to [" + b + "]: delivered");
    bob.expect("[" + a + "]" + aliceName + " said: still there?");
    alice.type("quit");
    assertEquals(0, alice.exitCode());
  }
}
