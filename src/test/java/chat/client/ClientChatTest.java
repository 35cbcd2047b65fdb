package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Friends and one-to-one chat, live and offline, and the errors a user can run into. */
class ClientChatTest extends ClientTestBase {

  @Test
  void addFriendThenChatBothWays() {
    String aliceName = name("alice");
    String bobName = name("bob");
    long a = register(aliceName, "pw-a");
    long b = register(bobName, "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");
    ClientUnderTest bob = loggedIn(b, "pw-b");

    alice.type("addfriend:" + b);
    alice.expect("[" + b + "] is now your friend");
    alice.type("chat:" + b + ":hello: bob");
    alice.expect("sent to [" + b + "]: delivered");
    bob.expect("[" + a + "]" + aliceName + " said: hello: bob");
    bob.type("chat:" + a + ":hi alice");
    bob.expect("sent to [" + a + "]: delivered");
    alice.expect("[" + b + "]" + bobName + " said: hi alice");

    // the refreshed list shows the friendship and presence
    bob.type("friends");
    bob.expect("----------------------friend list---------------------");
    bob.expect(a + " " + aliceName + " online");
    alice.type("quit");
    assertEquals(0, alice.exitCode());
    bob.type("quit");
    assertEquals(0, bob.exitCode());
  }

  @Test
  void offlineMessagesOfManyKilobytesAllArriveAtLogin() {
    String aliceName = name("alice");
    long a = register(aliceName, "pw-a");
    long b = register(name("bob"), "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");
    String filler = "x".repeat(200);
    int count = 40;
    for (int i = 0; i < count; i++) {
      alice.type("chat:" + b + ":offline " + i + " " + filler);
      alice.expect("sent to [" + b + "]: stored, delivered when they log in");
    }
    ClientUnderTest bob = loggedIn(b, "pw-b");
    for (int i = 0; i < count; i++) {
      bob.expect("[" + a + "]" + aliceName + " said: offline " + i + " " + filler);
    }
  }

  @Test
  void errorsAreShownAndTheSessionGoesOn() {
    long a = register(name("alice"), "pw-a");
    ClientUnderTest alice = loggedIn(a, "pw-a");
    alice.type("chat:99999999:anyone there?");
    alice.expect("error: no user 99999999 (106)");
    alice.type("fly:away");
    alice.expect("error: unknown command 'fly'");
    alice.type("chat:bob:hi");
    alice.expect("error: friendid must be a positive number, not 'bob'");
    alice.type("addfriend:" + a);
    alice.expect("error:");
    alice.type("help");
    alice.expect("show command list >>>");
    alice.type("quit");
    alice.expect("logged out");
    assertEquals(1, alice.exitCode());
  }
}
