package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Friends and one-to-one chat, live and offline, and the errors a user can run into. */
class ClientChatTest extends ClientTestBase {

  @Test
  void addFriendThenChatBothWays() {
    TwoUsers pair = aliceAndBob();

    pair.alice().type("addfriend:" + pair.bobId());
    pair.alice().expect("[" + pair.bobId() + "] " + pair.bobName() + " is now your friend");
    pair.alice().type("chat:" + pair.bobId() + ":hello: bob");
    pair.alice().expect("sent to [" + pair.bobId() + "]: delivered");
    pair.bob().expect("[" + pair.aliceId() + "]" + pair.aliceName() + " said: hello: bob");
    pair.bob().type("chat:" + pair.aliceId() + ":hi alice");
    pair.bob().expect("sent to [" + pair.aliceId() + "]: delivered");
    pair.alice().expect("[" + pair.bobId() + "]" + pair.bobName() + " said: hi alice");

    // the refreshed list shows the friendship and presence
    pair.bob().type("friends");
    pair.bob().expect("----------------------friend list---------------------");
    pair.bob().expect(pair.aliceId() + " " + pair.aliceName() + " online");
    pair.alice().type("quit");
    assertEquals(0, pair.alice().exitCode());
    pair.bob().type("quit");
    assertEquals(0, pair.bob().exitCode());
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
