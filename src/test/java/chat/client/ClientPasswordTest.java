package chat.client;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code password}: on the line or asked for, a wrong old one explained; the client that changed it
 * keeps its token (it reconnects with it after a restart), the user's other sessions lose theirs.
 */
class ClientPasswordTest extends ClientTestBase {

  @Override
  protected JsonObject nodeConfig() {
    return new JsonObject().put("sessions", new JsonObject().put("maxPerUser", 2));
  }

  @Test
  void changedPasswordKeepsThisClientsTokenAndRevokesTheOthers() {
    long a = register(name("alice"), "pw-a");
    ClientUnderTest here = loggedIn(a, "pw-a");
    ClientUnderTest elsewhere = loggedIn(a, "pw-a");

    here.type("password wrong-old pw-2");
    here.expect("error: the old password is wrong (password is invalid, 1); the password was not changed");
    here.type("password pw-a");
    here.expect("error: expected password alone (it asks for the old and the new one) or password OLD NEW");
    here.type("password pw-a pw-2");
    here.expect("password changed: this session stays logged in; everywhere else, log in with the new password");
    // asked for: the old one, then the new one, on the next lines of a script (masked at a terminal)
    here.type("password").type("pw-2").type("pw 3");
    here.expect("password changed");
    here.type("password").type("").type("pw 4");
    here.expect("error: a password must not be empty; the password was not changed");

    node.stopNode();
    here.expect("lost; reconnecting...");
    elsewhere.expect("lost; reconnecting...");
    node.startNode();
    here.expect("reconnected as [" + a + "]");
    elsewhere.expect("session expired: id or password is invalid!; log in again");
    here.type("friends");
    here.expect("----------------------friend list---------------------");
    here.type("quit");
    here.expect("logged out");
    assertEquals(1, here.exitCode(), here.output());

    ClientUnderTest later = client();
    later.type("login " + a + " pw-a");
    later.expect("login failed: id or password is invalid!");
    later.type("login " + a + " pw-2");
    later.expect("login failed: id or password is invalid!");
    later.type("login " + a + " pw 3");
    later.expect("current login user => id:" + a);
  }
}
