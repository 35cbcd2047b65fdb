package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** history:ID and history:g:ID: a conversation's newest page, then older pages, in order. */
class ClientHistoryTest extends ClientTestBase {

  @Test
  void historyShowsTheNewestPageInOrderThenPagesBack() {
    TwoUsers pair = aliceAndBob();
    long a = pair.aliceId();
    int count = Actions.HISTORY_PAGE + 5;
    for (int i = 1; i <= count; i++) {
      pair.alice().type("chat:" + pair.bobId() + ":message " + i);
      pair.alice().expect("sent to [" + pair.bobId() + "]: delivered");
    }
    pair.bob().expect(" said: message " + count);

    pair.bob().type("history:" + a);
    assertEquals("----------------------history [" + a + "]" + "-".repeat(54 - 32 - Long.toString(a).length()),
        pair.bob().nextLine());
    for (int i = 6; i <= count; i++) {
      String line = pair.bob().nextLine();
      assertTrue(line.startsWith("#" + i + " 20"), line);
      assertTrue(line.endsWith(" [" + a + "]" + pair.aliceName() + " said: message " + i), line);
    }
    assertEquals("(#6-#" + count + " of " + count + "; older: history:" + a + ":more)", pair.bob().nextLine());

    pair.bob().type("history:" + a + ":more");
    pair.bob().nextLine();
    for (int i = 1; i <= 5; i++) {
      assertTrue(pair.bob().nextLine().matches("#" + i + " \\S+ \\S+ \\[" + a + "].* said: message " + i), pair.bob().output());
    }
    assertEquals("(#1-#5 of " + count + "; nothing older)", pair.bob().nextLine());
    pair.bob().type("history:" + a + ":more");
    assertEquals("no older messages with [" + a + "]", pair.bob().nextLine());

    // both sides of the conversation, from alice's end
    pair.bob().type("chat:" + a + ":an answer");
    pair.bob().expect("sent to [" + a + "]: delivered");
    pair.alice().type("history:" + pair.bobId());
    pair.alice().expect("#" + count + " ");
    assertTrue(pair.alice().nextLine().matches("#" + (count + 1) + " .* \\[" + pair.bobId() + "]" + pair.bobName()
        + " said: an answer"), pair.alice().output());
    pair.alice().expect("(#7-#" + (count + 1) + " of " + (count + 1) + "; older: ");
  }

  @Test
  void groupHistoryAndWhatCannotBeShown() {
    TwoUsers pair = aliceAndBob();
    pair.alice().type("creategroup:book club:monthly");
    long g = Long.parseLong(pair.alice().expect("created group[").replaceAll(".*its id is (\\d+).*", "$1"));
    pair.bob().type("history:g:" + g);
    pair.bob().expect("error: not a member of group " + g + " (105)");
    pair.bob().type("addgroup:" + g);
    pair.bob().expect("joined group[" + g + "]");
    pair.alice().expect("[" + pair.bobId() + "] " + pair.bobName() + " joined group[" + g + "]");
    pair.alice().type("history:g:" + g);
    assertEquals("no messages with group[" + g + "] yet", pair.alice().nextLine());
    for (int i = 1; i <= 3; i++) {
      pair.bob().type("groupchat:" + g + ":chapter " + i);
      pair.bob().expect("sent to group[" + g + "]: delivered to 1, stored for 0");
    }
    pair.alice().type("history:g:" + g);
    pair.alice().expect("history group[" + g + "]");
    for (int i = 1; i <= 3; i++) {
      String line = pair.alice().nextLine();
      assertTrue(line.matches("#" + i + " group\\[" + g + "]: .* \\[" + pair.bobId() + "]" + pair.bobName()
          + " said: chapter " + i), line);
    }
    assertEquals("(#1-#3 of 3; nothing older)", pair.alice().nextLine());

    pair.alice().type("history:99999999");
    pair.alice().expect("error: no user 99999999 (106)");
    pair.alice().type("history:" + pair.aliceId());
    pair.alice().expect("is your own id");
    pair.alice().type("history:g:" + g + ":less");
    pair.alice().expect("error: expected history:userid or history:g:groupid");
    pair.alice().type("quit");
    assertEquals(1, pair.alice().exitCode(), pair.alice().output());
  }
}
