package chat.ops;

import chat.testing.OpsHttp;
import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.TwoUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traffic moves the counters of /metrics by exactly what was sent and delivered. */
class MetricsTest {

  @Test
  void countersMoveByTheTrafficAndVertxReportsItsClients() {
    try (TestCluster cluster = TestCluster.startWithMetrics(2, new JsonObject())) {
      TestNode n0 = cluster.node(0);
      TestNode n1 = cluster.node(1);
      try (TestClient alice = n0.connect(); TestClient bob = n0.connect(); TestClient dave = n0.connect();
           TestClient carol = n1.connect()) {
        long b = TwoUsers.loggedIn(alice, bob).bobId();
        long c = carol.registerAndLogin("carol");
        long d = dave.register(TestClient.uniqueName("dave"), "pw");
        OpsHttp.Scrape before0 = n0.scrape();
        OpsHttp.Scrape before1 = n1.scrape();

        alice.chat(b, "same node", 1);
        assertEquals("same node", bob.expect(6).getString("msg"));
        assertEquals("delivered", alice.expect(14).getString("status"));
        alice.chat(c, "other node", 2);
        assertEquals("other node", carol.expect(6).getString("msg"));
        assertEquals("delivered", alice.expect(14).getString("status"));
        alice.chat(d, "offline", 3);
        assertEquals("stored", alice.expect(14).getString("status"));
        alice.send(new JsonObject().put("msgid", 777));
        alice.expectError(103);

        OpsHttp.Scrape after0 = n0.scrape();
        OpsHttp.Scrape after1 = n1.scrape();
        Delta n0Delta = new Delta(before0, after0);
        assertEquals(3, n0Delta.of("chat_messages_in_total", "msgid", "6"));
        assertEquals(1, n0Delta.of("chat_messages_in_total", "msgid", "777"));
        assertEquals(4, n0Delta.of("chat_messages_in_total"), "nothing else was read");
        assertEquals(3, n0Delta.of("chat_messages_out_total", "msgid", "14"));
        assertEquals(1, n0Delta.of("chat_messages_out_total", "msgid", "99"));
        assertEquals(1, n0Delta.of("chat_messages_out_total", "msgid", "forwarded"), "bob's message");
        assertEquals(5, n0Delta.of("chat_messages_out_total"));
        assertEquals(1, n0Delta.of("chat_error_replies_total", "errno", "103"));
        assertEquals(1, n0Delta.of("chat_error_replies_total"));
        for (String route : new String[] {"local", "remote", "owed"}) {
          assertEquals(1, n0Delta.of("chat_deliveries_total", "route", route), route);
          assertEquals(1, n0Delta.of("chat_delivery_latency_seconds_count", "route", route), route);
          assertTrue(after0.has("chat_delivery_latency_seconds_bucket", "route", route, "le", "+Inf"), route);
          assertTrue(after0.has("chat_delivery_latency_seconds_sum", "route", route), route);
        }
        Delta n1Delta = new Delta(before1, after1);
        assertEquals(1, n1Delta.of("chat_messages_out_total", "msgid", "forwarded"), "carol's message");
        assertEquals(0, n1Delta.of("chat_messages_in_total"));
        assertEquals(0, n1Delta.of("chat_deliveries_total"), "the sender's node counts deliveries");

        assertEquals(3, after0.value("chat_connections_open"));
        assertEquals(2, after0.value("chat_sessions_logged_in"));
        assertEquals(1, after1.value("chat_connections_open"));
        assertEquals(1, after1.value("chat_sessions_logged_in"));
        bob.close();
        dave.close();
        assertEquals(1.0, eventually(() -> n0.scrape().value("chat_connections_open"), 1.0));
        assertEquals(1.0, n0.scrape().value("chat_sessions_logged_in"));

        // Vert.x's own meters, from the registry the node's Vert.x was built with: the SQL client
        // stored dave's message, the Redis client found carol's node and published to it
        assertTrue(n0Delta.of("vertx_sql_processing_time_seconds_count") >= 1, "SQL client requests");
        assertTrue(after0.has("vertx_sql_processing_pending"));
        assertTrue(n0Delta.of("vertx_redis_processing_time_seconds_count") >= 1, "Redis client requests");
        assertTrue(after0.has("vertx_redis_processing_pending"));
        assertTrue(after0.has("vertx_pool_in_use", "pool_type", "sql"), "the SQL connection pool");
        assertTrue(after0.has("vertx_pool_in_use", "pool_type", "redis"), "the Redis connection pool");
        assertTrue(after0.has("vertx_net_server_active_connections"), "the chat port");
      }
    }
  }

  @Test
  void aNodeWithoutAGivenRegistryMakesItsOwn() {
    Vertx vertx = Vertx.vertx();
    JsonObject metricsOn = new JsonObject().put("metrics", new JsonObject().put("host", "127.0.0.1")
        .put("port", TestNode.freePort()));
    try (TestNode node = TestNode.start(vertx, StoreKind.EMBEDDED, metricsOn);
         TestClient client = node.connect()) {
      client.send(new JsonObject().put("msgid", 20));
      client.expect(21);
      OpsHttp.Scrape scrape = node.scrape();
      assertEquals(1, scrape.value("chat_messages_in_total", "msgid", "20"));
      assertEquals(1, scrape.value("chat_connections_open"));
      assertEquals(200, node.http("/health/ready").status());
    } finally {
      TestNode.await(vertx.close());
    }
  }

  /** Polls a gauge until it shows {@code expected} (a connection closes asynchronously), for at most 15 s. */
  private static double eventually(Supplier<Double> gauge, double expected) {
    double value = gauge.get();
    for (int i = 0; i < 150 && value != expected; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      value = gauge.get();
    }
    return value;
  }

  private record Delta(OpsHttp.Scrape before, OpsHttp.Scrape after) {
    double of(String name, String... labels) {
      return after.value(name, labels) - before.value(name, labels);
    }
  }
}
