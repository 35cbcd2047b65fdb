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
  void historyAndUnread() {
    assertEquals(new Command.History(false, 14, false), Command.parse("history:14"));
    assertEquals(new Command.History(false, 14, true), Command.parse("history: 14 :more"));
    assertEquals(new Command.History(true, 3, false), Command.parse("history:g:3"));
    assertEquals(new Command.History(true, 3, true), Command.parse("History:G:3:MORE"));
    assertInstanceOf(Command.Unread.class, Command.parse("unread"));
  }

  @Test
  void socialCommands() {
    assertEquals(new Command.RemoveFriend(14), Command.parse("removefriend:14"));
    assertEquals(new Command.LeaveGroup(3), Command.parse("LeaveGroup: 3"));
    assertEquals(new Command.Find("zhang san"), Command.parse("find: zhang san "));
    assertEquals(new Command.Find("a:b"), Command.parse("find:a:b"));
  }

  @Test
  void lifecycleCommands() {
    assertEquals(new Command.Block(14), Command.parse("block:14"));
    assertEquals(new Command.Unblock(14), Command.parse("Unblock: 14"));
    Command.Conv withBob = new Command.Conv(false, 14);
    Command.Conv group = new Command.Conv(true, 3);
    assertEquals(new Command.Reply(withBob, 57, "yes: tomorrow"), Command.parse("reply:14:57:yes: tomorrow"));
    assertEquals(new Command.Reply(group, 57, "ok"), Command.parse("reply:g:3:#57:ok"));
    assertEquals(new Command.Edit(withBob, 5, "fixed"), Command.parse("edit:14:5:fixed"));
    assertEquals(new Command.Edit(group, 5, "fixed"), Command.parse("edit:G:3:5:fixed"));
    assertEquals(new Command.Recall(withBob, 5), Command.parse("recall:14:5"));
    assertEquals(new Command.Recall(group, 5), Command.parse("recall: g:3 : 5 "));
    assertEquals("p:13:14", withBob.key(13));
    assertEquals("p:14:15", withBob.key(15));
    assertEquals("g:3", group.key(13));
  }

  @Test
  void passwordIsAskedForOrGivenAsTwoWordsAndNeverShown() {
    Command.Password asked = (Command.Password) Command.parse(" password ");
    assertTrue(asked.prompted());
    assertEquals(new Command.Password("old:pw", "n3w"), Command.parse("Password  old:pw\tn3w"));
    assertEquals("Password[***, ***]", Command.parse("password secret1 secret2").toString());
    assertTrue(message("password only-one").contains("expected password alone"));
    assertTrue(message("password a b c").contains("password OLD NEW (passwords without spaces)"));
    assertTrue(message("password:a:b").contains("expected password alone"));
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
    assertTrue(message("history").contains("userid must be a positive number, not ''"));
    assertTrue(message("history:g:").contains("groupid must be a positive number"));
    assertTrue(message("history:14:less").contains("expected history:userid or history:g:groupid"));
    assertTrue(message("history:g:3:more:again").contains("expected history:userid"));
    assertTrue(message("history:bob").contains("userid must be a positive number, not 'bob'"));
    assertTrue(message("removefriend:x").contains("friendid must be a positive number, not 'x' (removefriend:friendid)"));
    assertTrue(message("leavegroup").contains("groupid must be a positive number, not '' (leavegroup:groupid)"));
    assertTrue(message("find:  ").contains("name is empty (find:name)"));
    assertTrue(message("block:bob").contains("userid must be a positive number, not 'bob' (block:userid)"));
    assertTrue(message("edit:14:5").contains("expected edit:userid:N:new text"));
    assertTrue(message("edit:14:x:text").contains("the message number N must be a positive number, not 'x'"));
    assertTrue(message("edit:g:3:5:  ").contains("message is empty"));
    assertTrue(message("recall:14").contains("expected recall:userid:N or recall:g:groupid:N"));
    assertTrue(message("recall:14:5:6").contains("expected recall:userid:N"));
    assertTrue(message("reply:g:x:5:hi").contains("groupid must be a positive number, not 'x'"));
  }

  private static String message(String line) {
    return assertThrows(IllegalArgumentException.class, () -> Command.parse(line)).getMessage();
  }
}
