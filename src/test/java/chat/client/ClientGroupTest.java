package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating, joining and chatting in groups. */
class ClientGroupTest extends ClientTestBase {

  @Test
  void createJoinAndChatInAGroup() {
    String aliceName = name("alice");
    String bobName = name("bob");
    long a = register(aliceName, "pw-a");
    long b = register(bobName, "pw-b");
    ClientUnderTest alice = loggedIn(a, "pw-a");
    ClientUnderTest bob = loggedIn(b, "pw-b");

    alice.type("creategroup:rust fans:all things rust");
    String created = alice.expect("created group[");
    long g = Long.parseLong(created.replaceAll(".*its id is (\\d+).*", "$1"));
    bob.type("addgroup:" + g);
    bob.expect("joined group[" + g + "]");
    bob.type("groupchat:" + g + ":hi all");
    bob.expect("sent to group[" + g + "]: delivered to 1, stored for 0");
    assertTrue(alice.expect("[" + b + "]" + bobName + " said: hi all").startsWith("group[" + g + "]: "));
    alice.type("groupchat:" + g + ":welcome");
    assertTrue(bob.expect("[" + a + "]" + aliceName + " said: welcome").startsWith("group[" + g + "]: "));

    alice.type("groups");
    alice.expect(g + " rust fans all things rust");
    alice.expect(a + " " + aliceName + " online creator");
    alice.expect(b + " " + bobName + " online normal");

    bob.type("groupchat:999999:lost?");
    bob.expect("error: no group 999999 (106)");
    alice.type("quit");
    assertEquals(0, alice.exitCode());
  }
}
