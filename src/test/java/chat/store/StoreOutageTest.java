package chat.store;

import chat.testing.Waits;
import chat.testing.TcpProxy;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.StoreKind;
import chat.testing.TwoUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MariaDB goes away behind a proxy that the test cuts: requests that need the store — every chat
 * message among them, as nobody hears of one before it is in its log — get ERROR 503 at once, and
 * the pool recovers by itself when the database is back.
 */
@ExtendWith(VertxExtension.class)
class StoreOutageTest {
  private TcpProxy proxy;
  private TestNode node;

  @BeforeEach
  void start(Vertx vertx) {
    proxy = TcpProxy.start(vertx, TestNode.MYSQL_HOST, TestNode.MYSQL_PORT);
    node = TestNode.start(vertx, StoreKind.MYSQL, new JsonObject()
        .put("store", new JsonObject().put("port", proxy.port())));
  }

  @AfterEach
  void stop() {
    proxy.resume();
    node.close();
    proxy.close();
  }

  @Test
  void storeDownMeans503QuicklyAndRecovery() {
    try (TestClient alice = node.connect(); TestClient bob = node.connect(); TestClient carol = node.connect()) {
      long b = TwoUsers.loggedIn(alice, bob).bobId();
      long c = carol.register(TestClient.uniqueName("carol"), "pw");

      proxy.cut();
      // persist first: no message is pushed or acknowledged before it is in its log
      alice.chat(b, "not without the store", 1);
      JsonObject live = alice.expectError(503);
      assertEquals(6, live.getInteger("re"));
      assertEquals(1, live.getInteger("seq"));
      bob.expectSilence(java.time.Duration.ofMillis(300));

      alice.chat(c, "offline needs the store", 2);
      JsonObject err = alice.expectError(503);
      assertEquals(6, err.getInteger("re"));
      assertEquals(2, err.getInteger("seq"));

      TestClient late = node.connect();
      late.send(new JsonObject().put("msgid", 1).put("id", c).put("password", "pw").put("seq", 3));
      assertEquals(1, late.expectRefused(2, 503).getInteger("re"));
      late.send(new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("dave")).put("password", "pw")
          .put("seq", 4));
      assertEquals(4, late.expectRefused(5, 503).getInteger("re"));

      proxy.resume();
      JsonObject ack = null;
      for (int i = 0; i < 100; i++) {
        alice.chat(c, "after recovery", 4);
        JsonObject m = alice.next();
        if (m.getInteger("msgid") == 14) {
          ack = m;
          break;
        }
        assertEquals(503, m.getInteger("errno"), m::encode);
        Waits.sleep(100);
      }
      assertEquals("stored", ack.getString("status"));
      JsonObject login = late.login(c, "pw");
      assertEquals(0, login.getInteger("errno"));
      assertEquals(1, login.getJsonArray("offlinemsg").size(), "the refused messages were not half-stored");
      alice.chat(b, "and live again", 5);
      assertEquals("and live again", bob.expect(6).getString("msg"));
      assertEquals("delivered", alice.expect(14).getString("status"));
      late.close();
    }
  }
}
