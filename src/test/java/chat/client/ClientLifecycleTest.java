package chat.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replies, edits, recalls and blocks in the terminal client: each message shows its number, the
 * commands take it, and edits and recalls by others are printed as they happen and shown in place
 * in history.
 */
class ClientLifecycleTest extends ClientTestBase {
  @Test
  void repliesEditsAndRecallsAreShownAsTheyHappenAndInHistory() {
    TwoUsers pair = aliceAndBob();
    ClientUnderTest alice = pair.alice();
    ClientUnderTest bob = pair.bob();
    long a = pair.aliceId();
    long b = pair.bobId();
    String aLabel = "[" + a + "] " + pair.aliceName();

    alice.type("chat:" + b + ":hello");
    alice.expect("sent to [" + b + "]: delivered (#1)");
    assertTrue(bob.expect("[" + a + "]" + pair.aliceName() + " said: hello").startsWith("#1 "));
    bob.type("reply:" + a + ":1:hi back");
    bob.expect("sent to [" + a + "]: delivered (#2)");
    assertTrue(alice.expect("#2 ").endsWith("[" + b + "]" + pair.bobName() + " replied to #1: hi back"));

    alice.type("edit:" + b + ":1:hello there");
    alice.expect("edited #1 in [" + b + "]");
    bob.expect(aLabel + " edited #1: hello there");
    bob.type("edit:" + a + ":1:not mine");
    bob.expect("error: only its sender may edit message 1 (105)");
    bob.type("edit:" + a + ":3:an edit");
    bob.expect("is not a message of p:");
    alice.type("recall:" + b + ":1");
    alice.expect("recalled #1 in [" + b + "]");
    bob.expect(aLabel + " recalled #1");

    bob.type("history:" + a);
    bob.expect("history [" + a + "]");
    List<String> history = bob.linesUntil("(#1-#4 of 4; nothing older)");
    assertEquals(4, history.size(), history::toString);
    assertTrue(history.get(0).startsWith("#1 ") && history.get(0).endsWith("]" + pair.aliceName() + ": message recalled"),
        history::toString);
    assertTrue(history.get(1).endsWith(" replied to #1: hi back"), history::toString);
    assertEquals("#3 " + aLabel + " edited #1", history.get(2), "its text went with the recall");
    assertEquals("#4 " + aLabel + " recalled #1", history.get(3));

    // the creator of a group recalls a member's message
    alice.type("creategroup:club:");
    long g = Long.parseLong(alice.expect("created group[").replaceAll(".*its id is (\\d+).*", "$1"));
    bob.type("addgroup:" + g);
    bob.expect("joined group[" + g + "]");
    bob.type("groupchat:" + g + ":off topic");
    bob.expect("sent to group[" + g + "]: delivered to 1, stored for 0 (#1)");
    alice.expect("#1 group[" + g + "]: ");
    alice.type("recall:g:" + g + ":1");
    alice.expect("recalled #1 in group[" + g + "]");
    bob.expect("group[" + g + "]: " + aLabel + " recalled #1");
  }

  @Test
  void aBlockedUserCannotMessageUntilUnblocked() {
    TwoUsers pair = aliceAndBob();
    ClientUnderTest alice = pair.alice();
    ClientUnderTest bob = pair.bob();
    long a = pair.aliceId();
    long b = pair.bobId();
    alice.type("chat:" + b + ":hi");
    bob.expect(" said: hi");

    bob.type("block:" + a);
    bob.expect("[" + a + "] " + pair.aliceName() + " is blocked: neither of you can message the other");
    alice.type("chat:" + b + ":hello?");
    alice.expect("error: you cannot message this user (105)");
    bob.type("friends");
    bob.expect("----------------------blocked");
    assertEquals("[" + a + "] " + pair.aliceName(), bob.nextLine());
    bob.type("unblock:" + a);
    bob.expect("is unblocked (not your friend again: addfriend:" + a + ")");
    alice.type("chat:" + b + ":hello again");
    alice.expect("sent to [" + b + "]: delivered");
    bob.expect(" said: hello again");
  }
}
