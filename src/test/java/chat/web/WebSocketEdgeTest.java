package chat.web;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The WebSocket endpoint's own rules, without a browser: which pages may open it, and the TCP
 * side's limits and errors over frames (PROTOCOL.md, "WebSocket transport (v2)").
 */
class WebSocketEdgeTest extends NodeTestBase {
  private static final String LISTED = "https://chat.example.org";

  @Override
  protected JsonObject overrides() {
    return new JsonObject()
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())
            .put("allowedOrigins", new JsonArray().add(LISTED)))
        .put("limits", new JsonObject().put("messagesPerSecond", 2).put("messageBurst", 2).put("idleSeconds", 3));
  }

  @Test
  void anotherSitesPageMayNotOpenTheSocketButTheNodesOwnAndListedOnesMay() {
    UpgradeRejectedException refused = refusedUpgrade("https://evil.example.com");
    assertEquals(403, refused.getStatus());
    for (String origin : new String[] {"http://127.0.0.1:" + node.webPort(), LISTED, null}) {
      try (Ws ws = Ws.open(this, origin)) {
        assertEquals(0, ws.request(new JsonObject().put("msgid", 20).put("seq", "p")).getInteger("errno", 0),
            "origin " + origin + " may ping");
      }
    }
  }

  @Test
  void aLoginWithoutSeqIsNeverLegacyOverWebSocket() {
    try (Ws ws = Ws.open(this, null)) {
      long id = ws.register();
      ws.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "pw"));
      JsonObject reply = ws.next();
      assertEquals(2, reply.getInteger("msgid"));
      assertEquals(0, reply.getInteger("errno"));
      assertNotNull(reply.getString("token"), "the classic shapes are for the classic TCP client only: " + reply);
    }
  }

  @Test
  void badJsonIsAnsweredAfterWhatCameBeforeThenTheSocketClosesWithPolicyViolation() {
    try (Ws ws = Ws.open(this, null)) {
      ws.sendText("{\"msgid\":20,\"seq\":\"before\"}");
      ws.sendText("{\"msgid\":20,\"seq\":[");
      assertEquals("before", ws.next().getString("seq"), "what came before the bad input is answered");
      JsonObject error = ws.next();
      assertEquals(100, error.getInteger("errno"), "a frame holds whole objects: " + error.encode());
      assertEquals(1008, ws.closeStatus());
    }
    stillServes();
  }

  @Test
  void garbageIsBadJson() {
    try (Ws ws = Ws.open(this, null)) {
      ws.sendText("hello?");
      assertEquals(100, ws.next().getInteger("errno"));
      assertEquals(1008, ws.closeStatus());
    }
    stillServes();
  }

  @Test
  void anObjectOverTheFrameLimitIsAnsweredWith101AndAMuchLargerFrameIsDroppedUnread() {
    try (Ws ws = Ws.open(this, null)) {
      ws.sendText("{\"msgid\":20,\"seq\":\"" + "x".repeat(70_000) + "\"}");
      assertEquals(101, ws.next().getInteger("errno"));
      assertEquals(1008, ws.closeStatus());
    }
    try (Ws ws = Ws.open(this, null)) {
      ws.sendText("{\"msgid\":20,\"seq\":\"" + "x".repeat(600_000) + "\"}");
      assertTrue(ws.closeStatus() != 0, "closed");
    }
    stillServes();
  }

  @Test
  void tooManyMessagesAreRefusedWithTheirSeqAndTheSocketStaysUsable() {
    try (Ws ws = Ws.open(this, null)) {
      long id = ws.registerAndLogin();
      for (int i = 0; i < 6; i++) {
        ws.send(new JsonObject().put("msgid", 6).put("toid", id).put("msg", "m" + i).put("seq", "c" + i));
      }
      int refused = 0;
      for (int answers = 0; answers < 6; ) {
        JsonObject answer = ws.next();
        if (answer.getString("seq", "").startsWith("c")) {
          answers++;
          refused += answer.getInteger("errno", 0) == 107 ? 1 : 0;
        }
      }
      assertTrue(refused >= 3, "a burst of 2 and 2 a second: most of 6 at once are refused, got " + refused);
      assertEquals("after", ws.request(new JsonObject().put("msgid", 20).put("seq", "after")).getString("seq"));
    }
  }

  @Test
  void aSilentSocketIsClosedLikeASilentConnection() {
    try (Ws ws = Ws.open(this, null)) {
      ws.registerAndLogin();
      assertTrue(ws.closeStatus() > 0, "closed after limits.idleSeconds without a request");
    }
  }

  private UpgradeRejectedException refusedUpgrade(String origin) {
    try {
      Ws.open(this, origin).close();
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        return rejected;
      }
      throw e;
    }
    return fail("origin " + origin + " opened the socket");
  }

  private void stillServes() {
    TestClient tcp = client();
    assertTrue(tcp.registerAndLogin("after") > 0);
  }

  /** A WebSocket client of the test: frames in a queue, and how the node closed it. */
  private static final class Ws implements AutoCloseable {
    private final WebSocket socket;
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();

    private Ws(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
      socket.closeHandler(v -> closed.complete(socket.closeStatusCode() == null ? -1 : socket.closeStatusCode()));
    }

    static Ws open(WebSocketEdgeTest test, String origin) {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(test.node.webPort()).setURI("/ws");
      if (origin != null) {
        options.addHeader("Origin", origin);
      }
      Future<WebSocket> connecting = test.vertx.createWebSocketClient(
          new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20)).connect(options);
      try {
        return new Ws(TestNode.await(connecting));
      } catch (RuntimeException e) {
        throw new IllegalStateException("upgrade failed", connecting.cause() != null ? connecting.cause() : e);
      }
    }

    void send(JsonObject request) {
      sendText(request.encode());
    }

    void sendText(String text) {
      TestNode.await(socket.writeTextMessage(text));
    }

    JsonObject next() {
      try {
        JsonObject frame = frames.poll(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(frame, "no frame within " + TestClient.TIMEOUT);
        return frame;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    JsonObject request(JsonObject request) {
      send(request);
      return next();
    }

    /** A new user with password "pw"; its id. */
    long register() {
      return request(new JsonObject().put("msgid", 4).put("name", TestClient.uniqueName("ws")).put("password", "pw")
          .put("seq", 1)).getLong("id");
    }

    long registerAndLogin() {
      long id = register();
      JsonObject login = request(new JsonObject().put("msgid", 1).put("id", id).put("password", "pw").put("seq", 2));
      assertEquals(0, login.getInteger("errno"), login.encode());
      return id;
    }

    int closeStatus() {
      try {
        return closed.get(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("the node did not close the socket", e);
      }
    }

    @Override
    public void close() {
      if (!closed.isDone()) {
        socket.close();
      }
      assertFalse(frames.stream().anyMatch(f -> f.getInteger("errno", 0) == 503), "no store failure: " + frames);
    }
  }
}
