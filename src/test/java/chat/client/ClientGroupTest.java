package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating, joining and chatting in groups. */
class ClientGroupTest extends ClientTestBase {

  @Test
  void createJoinAndChatInAGroup() {
    TwoUsers pair = aliceAndBob();

    pair.alice().type("creategroup:rust fans:all things rust");
    String created = pair.alice().expect("created group[");
    long g = Long.parseLong(created.replaceAll(".*its id is (\\d+).*", "$1"));
    pair.bob().type("addgroup:" + g);
    pair.bob().expect("joined group[" + g + "]");
    pair.bob().type("groupchat:" + g + ":hi all");
    pair.bob().expect("sent to group[" + g + "]: delivered to 1, stored for 0");
    assertTrue(pair.alice().expect("[" + pair.bobId() + "]" + pair.bobName() + " said: hi all")
        .startsWith("#1 group[" + g + "]: "));
    pair.alice().type("groupchat:" + g + ":welcome");
    assertTrue(pair.bob().expect("[" + pair.aliceId() + "]" + pair.aliceName() + " said: welcome")
        .startsWith("#2 group[" + g + "]: "));

    pair.alice().type("groups");
    pair.alice().expect(g + " rust fans all things rust");
    pair.alice().expect(pair.aliceId() + " " + pair.aliceName() + " online creator");
    pair.alice().expect(pair.bobId() + " " + pair.bobName() + " online normal");

    pair.bob().type("groupchat:999999:lost?");
    pair.bob().expect("error: no group 999999 (106)");
    pair.alice().type("quit");
    assertEquals(0, pair.alice().exitCode());
  }
}
