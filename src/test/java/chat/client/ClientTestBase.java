package chat.client;

import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

/** A fresh node per test, on MariaDB (the production store), and clients driven through stdin/stdout. */
@ExtendWith(VertxExtension.class)
abstract class ClientTestBase {
  protected TestNode node;
  private final List<ClientUnderTest> clients = new ArrayList<>();

  @BeforeEach
  void startNode(Vertx vertx) {
    node = TestNode.start(vertx, StoreKind.MYSQL, nodeConfig());
  }

  /** Settings merged into the node's config, section by section (e.g. {"sessions":{"maxPerUser":2}}). */
  protected JsonObject nodeConfig() {
    return new JsonObject();
  }

  @AfterEach
  void stopNode() {
    // each client logs out and exits first: one still logged in when the node stops would try to
    // reconnect into the closing server
    clients.forEach(ClientUnderTest::close);
    clients.forEach(ClientUnderTest::awaitExitQuietly);
    node.close();
  }

  protected ClientUnderTest client(String... args) {
    return clientAt(node.port(), args);
  }

  /** A client of a node at another port (behind a proxy, say). */
  protected ClientUnderTest clientAt(int port, String... args) {
    ClientUnderTest c = ClientUnderTest.start(port, args);
    clients.add(c);
    return c;
  }

  protected static String name(String prefix) {
    return TestClient.uniqueName(prefix);
  }

  /** A registered user logged in on a new client; the card has been shown. */
  protected ClientUnderTest loggedIn(long id, String password) {
    ClientUnderTest c = client();
    c.type("login " + id + " " + password);
    c.expect("current login user => id:" + id);
    return c;
  }

  protected long register(String name, String password) {
    ClientUnderTest c = client();
    long id = c.register(name, password);
    c.close();
    return id;
  }

  /** Alice and Bob, registered under fresh names and logged in on a client each, with their names and ids. */
  protected record TwoUsers(ClientUnderTest alice, String aliceName, long aliceId,
                            ClientUnderTest bob, String bobName, long bobId) {
  }

  /** Registers alice (password pw-a) and bob (pw-b), then logs in alice and bob, in that order. */
  protected TwoUsers aliceAndBob() {
    String aliceName = name("alice");
    String bobName = name("bob");
    long a = register(aliceName, "pw-a");
    long b = register(bobName, "pw-b");
    return new TwoUsers(loggedIn(a, "pw-a"), aliceName, a, loggedIn(b, "pw-b"), bobName, b);
  }
}
