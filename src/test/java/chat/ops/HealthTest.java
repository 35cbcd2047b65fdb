package chat.ops;

import chat.testing.Waits;
import chat.testing.OpsHttp;
import chat.testing.StoreKind;
import chat.testing.TcpProxy;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * /health/ready follows the store and Redis: 200, 503 while either is away, 200 again once it is
 * back; /health/live answers 200 throughout.
 */
@ExtendWith(VertxExtension.class)
class HealthTest {
  private TcpProxy mysql;
  private TestRedis redis;
  private TestNode node;

  @BeforeEach
  void start(Vertx vertx) {
    mysql = TcpProxy.start(vertx, TestNode.MYSQL_HOST, TestNode.MYSQL_PORT);
    redis = TestRedis.start();
    node = TestNode.start(vertx, StoreKind.MYSQL, new JsonObject()
        .put("store", new JsonObject().put("port", mysql.port()))
        .put("broker", new JsonObject().put("type", "redis").put("uri", redis.uri()))
        .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())));
  }

  @AfterEach
  void stop() {
    mysql.resume();
    node.close();
    mysql.close();
    redis.close();
  }

  @Test
  void readyFollowsTheStore() {
    assertReady(200, "UP", "UP");
    mysql.cut();
    assertReady(503, "DOWN", "UP");
    assertEquals(200, node.http("/health/live").status());
    mysql.resume();
    assertReady(200, "UP", "UP");
  }

  @Test
  void readyFollowsRedis() {
    assertReady(200, "UP", "UP");
    redis.kill();
    assertReady(503, "UP", "DOWN");
    assertEquals(200, node.http("/health/live").status());
    redis.startServer();
    assertReady(200, "UP", "UP");
  }

  @Test
  void readyIsOffFromTheMomentTheNodeBeginsToStop() {
    assertReady(200, "UP", "UP");
    try (TestClient client = node.connect()) {
      long id = client.register(TestClient.uniqueName("drain"), "pw");
      // a password login in flight keeps the drain busy for the time of one hash
      client.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "pw"));
      Future<Void> stopping = node.stopNodeAsync();
      try {
        OpsHttp.Response r = node.http("/health/ready");
        assertEquals(503, r.status(), r.body());
        assertEquals("DRAINING", new JsonObject(r.body()).getString("status"));
      } catch (UncheckedIOException alreadyGone) {
        // the node finished stopping first: no answer is not "ready" either
      }
      TestNode.await(stopping);
    }
  }

  @Test
  void unknownPathsAre404() {
    assertEquals(404, node.http("/nothing").status());
    assertEquals(new JsonObject().put("status", "UP"), new JsonObject(node.http("/health/live").body()));
  }

  /** Polls /health/ready (the outage or recovery takes effect asynchronously) for at most 30 s. */
  private void assertReady(int status, String store, String broker) {
    OpsHttp.Response r = node.http("/health/ready");
    for (int i = 0; i < 150 && r.status() != status; i++) {
      Waits.sleep(200);
      r = node.http("/health/ready");
    }
    assertEquals(status, r.status(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals(status == 200 ? "UP" : "DOWN", body.getString("status"));
    assertEquals(store, body.getString("store"), r.body());
    assertEquals(broker, body.getString("broker"), r.body());
  }
}
