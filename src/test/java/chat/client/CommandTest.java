package chat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legacy command syntax, parsed. */
class CommandTest {

  @Test
  void legacyCommands() {
    assertEquals(new Command.Chat(14, "hello: how are you?"), Command.parse("chat:14:hello: how are you?"));
    assertEquals(new Command.AddFriend(14), Command.parse("addfriend:14"));
    assertEquals(new Command.CreateGroup("rust fans", "all: things rust"), Command.parse("creategroup:rust fans:all: things rust"));
    assertEquals(new Command.AddGroup(3), Command.parse(" addgroup: 3 "));
    assertEquals(new Command.GroupChat(3, "hi all"), Command.parse("groupchat:3:hi all"));
    assertInstanceOf(Command.Help.class, Command.parse("help"));
    assertInstanceOf(Command.Logout.class, Command.parse("loginout"));
    assertInstanceOf(Command.Quit.class, Command.parse("quit"));
    assertInstanceOf(Command.Friends.class, Command.parse("friends"));
    assertInstanceOf(Command.Groups.class, Command.parse("groups"));
  }

  @Test
  void mistakesAreExplained() {
    assertTrue(message("chat:abc:hi").contains("friendid must be a positive number, not 'abc'"));
    assertTrue(message("chat:14").contains("expected chat:friendid:message"));
    assertTrue(message("chat:14:   ").contains("message is empty"));
    assertTrue(message("addfriend:-3").contains("friendid must be a positive number"));
    assertTrue(message("addgroup:").contains("groupid must be a positive number"));
    assertTrue(message("creategroup::desc").contains("groupname is empty"));
    assertTrue(message("dance:now").contains("unknown command 'dance'"));
  }

  private static String message(String line) {
    return assertThrows(IllegalArgumentException.class, () -> Command.parse(line)).getMessage();
  }
}
