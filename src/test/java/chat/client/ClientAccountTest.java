package chat.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The main menu: register, login, loginout, quit, and what a mistyped answer gets. */
class ClientAccountTest extends ClientTestBase {

  @Test
  void registerLoginLogoutThroughTheLegacyMenu() {
    String name = name("li si");
    ClientUnderTest c = client();
    c.type("2").type(name).type("pw 1");
    long id = Long.parseLong(c.expect(name + " registered, your userid is ").replaceAll(".*userid is (\\d+).*", "$1"));
    c.type("1").type(Long.toString(id)).type("pw 1");
    c.expect("======================login user======================");
    c.expect("current login user => id:" + id + " name:" + name);
    c.expect("----------------------friend list---------------------");
    c.expect("----------------------group list----------------------");
    c.type("loginout");
    c.expect("logged out");
    c.type("login " + id + " pw 1");
    c.expect("current login user => id:" + id);
    c.type("quit");
    c.expect("logged out");
    assertEquals(0, c.exitCode());
  }

  @Test
  void mistakesAreShownInWordsAndFailTheExitCode() {
    String name = name("alice");
    ClientUnderTest c = client();
    long id = c.register(name, "pw");
    c.type("register " + name + " other");
    c.expect("register failed: name '" + name + "' is already taken");
    c.type("1").type("alice").type("pw");
    c.expect("login failed: id or password is invalid!");
    c.type("1").type(" ").type("pw");
    c.expect("type your userid or your name");
    c.type("login " + id + " wrong");
    c.expect("login failed: id or password is invalid!");
    c.type("7");
    c.expect("invalid choice '7'");
    c.type("3");
    assertEquals(1, c.exitCode());
  }

  @Test
  void aNameLogsInWhereverAnIdDoesInAnyCaseOrWidth() {
    String name = name("Li Si");
    ClientUnderTest c = client();
    c.type("2").type(name).type("pw 1");
    long id = Long.parseLong(c.expect(name + " registered, your userid is ").replaceAll(".*userid is (\\d+).*", "$1"));
    // the menu's prompts
    c.type("1").type(name.toUpperCase()).type("pw 1");
    c.expect("current login user => id:" + id + " name:" + name);
    c.type("loginout");
    c.expect("logged out");
    // a menu line: a name with spaces in double quotes, a password with spaces after it
    c.type("login \"" + fullWidth(name.toLowerCase()) + "\" pw 1");
    c.expect("current login user => id:" + id + " name:" + name);
    c.type("loginout");
    c.expect("logged out");
    c.type("login \"" + name + "\" wrong");
    c.expect("login failed: id or password is invalid!");
    c.type("quit");
    assertEquals(1, c.exitCode());

    // --user takes a name too; a one-word name needs no quotes on a menu line
    String single = name("Wang");
    long wang = register(single, "pw");
    ClientUnderTest started = client("--user", single.toLowerCase());
    started.type("pw");
    started.expect("current login user => id:" + wang + " name:" + single);
    started.type("quit");
    ClientUnderTest line = client();
    line.type("login " + single.toUpperCase() + " pw");
    line.expect("current login user => id:" + wang);
    line.type("quit");
    assertEquals(0, line.exitCode());
  }

  private static String fullWidth(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> out.appendCodePoint(c > ' ' && c <= '~' ? c - 0x21 + 0xFF01 : c));
    return out.toString();
  }

  @Test
  void aLoginBeyondTheSessionLimitIsRefusedInPlainWords() {
    long id = register(name("alice"), "pw");
    List<ClientUnderTest> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(loggedIn(id, "pw"));
    }
    ClientUnderTest first = five.get(0);
    ClientUnderTest sixth = client();
    sixth.type("login " + id + " pw");
    sixth.expect("login failed: signed in on too many devices (5): sign out of one");
    first.type("quit");
    assertEquals(0, first.exitCode());
  }
}
