package chat.admission;

import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-address limits on a node behind a PROXY-protocol balancer: each raw connection announces a
 * different client address, as nginx with {@code proxy_protocol on} does, and only the address
 * over its limit is refused.
 */
@ExtendWith(VertxExtension.class)
class AddressLimitTest {
  private TestNode node;

  @BeforeEach
  void start(Vertx vertx) {
    node = TestNode.start(vertx, StoreKind.EMBEDDED, new JsonObject()
        .put("proxyProtocol", true)
        .put("limits", new JsonObject()
            .put("connectionsPerMinute", 3)
            .put("failedLoginsPerMinute", 2)
            .put("exemptNetworks", new JsonArray())));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void connectionAttemptsPerAddress() {
    for (int i = 0; i < 3; i++) {
      try (TestClient c = TestClient.connectAs(node.port(), "203.0.113.7")) {
        ping(c);
      }
    }
    try (TestClient fourth = TestClient.connectAs(node.port(), "203.0.113.7")) {
      JsonObject err = fourth.expectError(107);
      assertTrue(err.getString("errmsg").contains("too many connections"), err::encode);
      assertTrue(fourth.awaitClosed(Duration.ofSeconds(15)));
    }
    try (TestClient other = TestClient.connectAs(node.port(), "203.0.113.8")) {
      ping(other);
    }
  }

  @Test
  void failedLoginsPerAddress() {
    try (TestClient guesser = TestClient.connectAs(node.port(), "198.51.100.1");
         TestClient owner = TestClient.connectAs(node.port(), "198.51.100.2")) {
      long id = owner.register(TestClient.uniqueName("owner"), "right");
      assertEquals(1, guesser.login(id, "wrong").getInteger("errno"));
      assertEquals(1, guesser.login(id, "wrong again").getInteger("errno"));
      guesser.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "right").put("seq", 3));
      JsonObject err = guesser.expectRefused(2, 107);
      assertEquals(1, err.getInteger("re"));
      assertEquals(3, err.getInteger("seq"));
      assertEquals(0, owner.login(id, "right").getInteger("errno"), "another address is not affected");
    }
  }

  @Test
  void guessesSentInParallelAreHeldToTheLimitBeforeAnyHashIsDone(Vertx vertx) {
    int guesses = 30;
    TestNode parallel = TestNode.start(vertx, StoreKind.EMBEDDED, new JsonObject()
        .put("proxyProtocol", true)
        .put("limits", new JsonObject()
            .put("connectionsPerMinute", 1000)
            .put("failedLoginsPerMinute", 3)
            .put("exemptNetworks", new JsonArray())));
    List<TestClient> guessers = new ArrayList<>();
    try (TestClient owner = TestClient.connectAs(parallel.port(), "198.51.100.2")) {
      long id = owner.register(TestClient.uniqueName("owner"), "right");
      for (int i = 0; i < guesses; i++) {
        guessers.add(TestClient.connectAs(parallel.port(), "198.51.100.9"));
      }
      for (TestClient g : guessers) {
        g.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "wrong"));
      }
      Map<Integer, Integer> answers = new TreeMap<>();
      for (TestClient g : guessers) {
        answers.merge(g.expect(2).getInteger("errno"), 1, Integer::sum);
      }
      assertEquals(Map.of(1, 3, 107, guesses - 3), answers, "3 checked, every other guess refused at once");
      assertEquals(0, owner.login(id, "right").getInteger("errno"), "another address is not affected");
    } finally {
      guessers.forEach(TestClient::close);
      parallel.close();
    }
  }

  @Test
  void withoutAProxyHeaderTheConnectionIsRefused() {
    try (TestClient direct = node.connect()) {
      // longer than any PROXY v1 header (108 bytes), so the node knows at once that none is coming
      direct.send(new JsonObject().put("msgid", 20).put("seq", "x".repeat(200)));
      assertTrue(direct.awaitClosed(Duration.ofSeconds(15)), "a node set for the PROXY protocol needs the header");
    }
  }

  private static void ping(TestClient c) {
    c.send(new JsonObject().put("msgid", 20).put("seq", "p"));
    assertEquals("p", c.expect(21).getString("seq"));
  }
}
