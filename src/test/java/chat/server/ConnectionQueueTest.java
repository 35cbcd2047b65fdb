package chat.server;

import chat.testing.OpsHttp;
import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.TwoUsers;
import chat.testing.Waits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one connection may queue. A client that queues thousands of requests that only ask (SYNC)
 * and leaves costs the node nothing more once its leaving is seen: what it had queued is dropped,
 * its session is released, its user logs in again at once. A client that sends thousands of chats
 * and reads nothing is not read any further once its queue is full: its messages wait in its
 * socket, none is lost. (The rate limit is out of the way, as for a load test.)
 */
class ConnectionQueueTest {
  private static final int SYNCS = 20_000;
  /** More answers than a socket's buffers hold on the way back (a few MB on Linux loopback). */
  private static final int CHATS = 60_000;
  private static final JsonObject UNLIMITED = new JsonObject().put("limits", new JsonObject()
      .put("messagesPerSecond", 10_000_000).put("messageBurst", 10_000_000));

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void whatAClosedConnectionQueuedIsDroppedAndItsUserLogsInAgainAtOnce(StoreKind kind) {
    PrometheusMeterRegistry registry = TestNode.newRegistry();
    Vertx vertx = TestNode.metricsVertx(registry);
    TestNode node = TestNode.startWithMetrics(vertx, kind, UNLIMITED, registry);
    try (TestClient alice = node.connect(); TestClient bob = node.connect()) {
      TwoUsers pair = TwoUsers.loggedIn(alice, bob);
      for (int i = 0; i < 20; i++) {
        alice.chat(pair.bobId(), "m" + i, i);
        alice.expect(14);
        bob.expect(6);
      }
      String conv = "p:" + Math.min(pair.aliceId(), pair.bobId()) + ":" + Math.max(pair.aliceId(), pair.bobId());
      StringBuilder flood = new StringBuilder();
      for (int i = 0; i < SYNCS; i++) {
        flood.append(new JsonObject().put("msgid", 30).put("conv", conv).put("after", 0).put("seq", i).encode())
            .append('\0');
      }
      double before = syncs(node);
      bob.sendRaw(flood.toString());
      // it leaves in the middle: a thousand answered, thousands queued or still in the socket
      for (int i = 0; i < 1000; i++) {
        bob.expect(31);
      }
      bob.close();
      // the node notices the close and stops: the count of SYNCs it ran stays put
      double seen = syncs(node);
      double last = -1;
      for (int i = 0; i < 100 && seen != last; i++) {
        Waits.sleep(500);
        last = seen;
        seen = syncs(node);
      }
      assertEquals(last, seen, "still running SYNCs of a closed connection");
      assertTrue(seen - before < SYNCS / 2, "ran " + (seen - before) + " of " + SYNCS + ": the rest is dropped");
      try (TestClient again = node.connect()) {
        JsonObject login = again.login(pair.bobId(), "pw-bob");
        assertEquals(0, login.getInteger("errno"), "the session was released: " + login.encode());
      }
    } finally {
      node.close();
      vertx.close();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aClientThatSendsAndReadsNothingIsNotReadFurtherAndLosesNothing(StoreKind kind) throws Exception {
    PrometheusMeterRegistry registry = TestNode.newRegistry();
    Vertx vertx = TestNode.metricsVertx(registry);
    TestNode node = TestNode.startWithMetrics(vertx, kind, UNLIMITED, registry);
    try (TestClient alice = node.connect(); TestClient bob = node.connect()) {
      TwoUsers pair = TwoUsers.loggedIn(alice, bob);
      alice.close();
      // alice again, on a socket that writes and reads nothing back
      try (Socket raw = new Socket()) {
        // a small window, as a phone on a bad network has: the answers back up on the node's side soon
        raw.setReceiveBufferSize(4096);
        raw.connect(new InetSocketAddress("127.0.0.1", node.port()));
        OutputStream out = raw.getOutputStream();
        out.write(frame(new JsonObject().put("msgid", 1).put("id", pair.aliceId()).put("password", "pw-alice")
            .put("seq", "login")));
        StringBuilder chats = new StringBuilder();
        for (int i = 0; i < CHATS; i++) {
          chats.append(new JsonObject().put("msgid", 6).put("toid", pair.bobId()).put("msg", "c" + i)
              .put("cmid", "c" + i).encode()).append('\0');
        }
        byte[] all = chats.toString().getBytes(StandardCharsets.UTF_8);
        Thread writer = new Thread(() -> {
          try {
            out.write(all);
          } catch (IOException closed) {
            // the test is over
          }
        });
        writer.setDaemon(true);
        writer.start();
        // alice reads nothing: her answers fill the socket, the node stops taking her requests
        double taken = chats(node);
        double last = -1;
        for (int i = 0; i < 100 && taken != last; i++) {
          Waits.sleep(500);
          last = taken;
          taken = chats(node);
        }
        assertEquals(last, taken, "still taking chats from a client that reads nothing");
        // the rest waits in the sockets' buffers, not in the node
        assertTrue(taken < CHATS, "took " + taken + " of " + CHATS + " before it stopped reading");
        // she reads again: the rest is taken, every message arrives once, in order
        byte[] sink = new byte[1 << 16];
        Thread reader = new Thread(() -> {
          try {
            while (raw.getInputStream().read(sink) >= 0) {
              // answers, read and dropped
            }
          } catch (IOException closed) {
            // the test is over
          }
        });
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < CHATS; i++) {
          assertEquals("c" + i, bob.expect(6).getString("msg"));
        }
        writer.join(TestClient.TIMEOUT.toMillis());
      }
    } finally {
      node.close();
      vertx.close();
    }
  }

  private static byte[] frame(JsonObject request) {
    return (request.encode() + "\0").getBytes(StandardCharsets.UTF_8);
  }

  private static double syncs(TestNode node) {
    return requestsIn(node, "30");
  }

  private static double chats(TestNode node) {
    return requestsIn(node, "6");
  }

  private static double requestsIn(TestNode node, String msgid) {
    return new OpsHttp.Scrape(OpsHttp.get(node.metricsPort(), "/metrics").body())
        .value("chat_messages_in_total", "msgid", msgid);
  }
}
