package chat.server;

import chat.testing.OpsHttp;
import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that pipelines requests and leaves: what changes the record still happens (the chat is
 * stored), what only asks is dropped (nobody would read the answers), so its session ends soon.
 */
class LeavingClientTest {
  private static final int QUERIES = 200;

  @Test
  void queuedQueriesAreDroppedButTheChatIsKept() {
    Vertx vertx = Vertx.vertx();
    JsonObject metricsOn = new JsonObject().put("metrics", new JsonObject().put("host", "127.0.0.1")
        .put("port", TestNode.freePort()));
    try (TestNode node = TestNode.start(vertx, StoreKind.EMBEDDED, metricsOn);
         TestClient alice = node.connect();
         TestClient bob = node.connect()) {
      long a = alice.registerAndLogin("alice");
      String bobName = TestClient.uniqueName("bob");
      long b = bob.register(bobName, "pw");
      alice.chat(b, "first", 1);
      alice.expect(14);
      String conv = "p:" + Math.min(a, b) + ":" + Math.max(a, b);

      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < QUERIES; i++) {
        burst.append(new JsonObject().put("msgid", 30).put("conv", conv).put("after", 0).put("seq", 10 + i).encode())
            .append('\0');
      }
      burst.append(new JsonObject().put("msgid", 6).put("id", a).put("from", "alice").put("toid", b)
          .put("msg", "sent while leaving").put("seq", 9999).encode()).append('\0');
      alice.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
      alice.close();

      JsonObject login = TestClient.retryWhileInUse(() -> bob.login(b, "pw"));
      assertEquals(0, login.getInteger("errno"), login.encode());
      JsonArray offline = login.getJsonArray("offlinemsg");
      assertEquals(2, offline.size(), offline.encode());
      assertEquals("sent while leaving", new JsonObject(offline.getString(1)).getString("msg"));

      // alice's session ends once the chat is written: she may log in again
      JsonObject again = TestClient.retryWhileInUse(() -> {
        try (TestClient back = node.connect()) {
          return back.login(a, "pw-alice");
        }
      });
      assertEquals(0, again.getInteger("errno"), again.encode());
      double syncs = node.scrape().value("chat_messages_in_total", "msgid", "30");
      assertTrue(syncs < QUERIES, () -> "the SYNCs behind the close were dropped, " + syncs + " ran");
    } finally {
      TestNode.await(vertx.close());
    }
  }
}
