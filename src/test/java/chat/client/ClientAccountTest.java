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
    c.expect("userid must be a number, not 'alice'");
    c.type("login " + id + " wrong");
    c.expect("login failed: id or password is invalid!");
    c.type("7");
    c.expect("invalid choice '7'");
    c.type("3");
    assertEquals(1, c.exitCode());
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
