package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unread counts: in the card after login, with unread and friends, and gone once history was read. */
class ClientUnreadTest extends ClientTestBase {
  private static final String END_OF_CARD = "======================================================";

  @Test
  void messagesReceivedOfflineAreCountedUntilTheirHistoryIsRead() {
    TwoUsers pair = aliceAndBob();
    long a = pair.aliceId();
    pair.alice().type("creategroup:night owls:late");
    long g = Long.parseLong(pair.alice().expect("created group[").replaceAll(".*its id is (\\d+).*", "$1"));
    pair.bob().type("addgroup:" + g);
    pair.bob().expect("joined group[" + g + "]");
    pair.bob().type("quit");
    assertEquals(0, pair.bob().exitCode(), pair.bob().output());

    for (int i = 1; i <= 3; i++) {
      pair.alice().type("chat:" + pair.bobId() + ":while you were out " + i);
      pair.alice().expect("sent to [" + pair.bobId() + "]: stored");
    }
    for (int i = 1; i <= 2; i++) {
      pair.alice().type("groupchat:" + g + ":group news " + i);
      pair.alice().expect("sent to group[" + g + "]: delivered to 0, stored for 1");
    }

    // the legacy card, then the unread section (most recent first), then the messages themselves
    ClientUnderTest bob = loggedIn(pair.bobId(), "pw-b");
    bob.expect("----------------------group list");
    bob.expect(g + " night owls late");
    bob.nextLine();
    bob.nextLine();
    assertEquals("----------------------unread--------------------------", bob.nextLine());
    assertEquals("group[" + g + "] night owls: 2 unread", bob.nextLine());
    assertEquals("[" + a + "] " + pair.aliceName() + ": 3 unread", bob.nextLine());
    assertEquals(END_OF_CARD, bob.nextLine());
    bob.expect("said: while you were out 1");

    // friends shows the people, groups the groups
    bob.type("friends");
    bob.expect("----------------------friend list");
    bob.expect("unread---");
    assertEquals("[" + a + "] " + pair.aliceName() + ": 3 unread", bob.nextLine());

    // reading a conversation's history marks it read
    bob.type("history:" + a);
    bob.expect("(#1-#3 of 3; nothing older)");
    bob.type("unread");
    bob.expect("unread---");
    assertEquals("group[" + g + "] night owls: 2 unread", bob.nextLine());
    bob.type("help");
    assertEquals("show command list >>>", bob.nextLine());
    bob.type("history:g:" + g);
    bob.expect("(#1-#2 of 2; nothing older)");
    bob.type("unread");
    assertEquals("no unread messages", bob.nextLine());

    // and the next card has no unread section
    bob.type("quit");
    assertEquals(0, bob.exitCode(), bob.output());
    ClientUnderTest again = loggedIn(pair.bobId(), "pw-b");
    again.expect("----------------------group list");
    again.nextLine();
    again.nextLine();
    again.nextLine();
    assertEquals(END_OF_CARD, again.nextLine());
  }
}
