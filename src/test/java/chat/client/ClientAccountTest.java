package chat.client;

import org.junit.jupiter.api.Test;

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
  void secondLoginOfTheSameUserIsRefused() {
    long id = register(name("alice"), "pw");
    ClientUnderTest first = loggedIn(id, "pw");
    ClientUnderTest second = client();
    second.type("login " + id + " pw");
    second.expect("login failed: this account is using, input another!");
    first.type("quit");
    assertEquals(0, first.exitCode());
  }
}
