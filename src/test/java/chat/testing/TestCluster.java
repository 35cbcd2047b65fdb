package chat.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Several real nodes, each with its own Vert.x instance (so its own event bus: nothing crosses
 * between nodes but Redis), sharing one throwaway MariaDB database and a private Redis.
 */
public final class TestCluster implements AutoCloseable {
  private final TestRedis redis;
  private final String database = "chat_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  private final JsonObject extra;

  private TestCluster(TestRedis redis, JsonObject extra) {
    this.redis = redis;
    this.extra = extra;
  }

  public static TestCluster start(int size) {
    return start(size, new JsonObject());
  }

  public static TestCluster start(int size, JsonObject extra) {
    TestCluster cluster = new TestCluster(TestRedis.start(), extra);
    for (int i = 0; i < size; i++) {
      cluster.addNode();
    }
    return cluster;
  }

  /** Starts one more node in the cluster. */
  public TestNode addNode() {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    JsonObject overrides = extra.copy();
    overrides.put("store", new JsonObject().put("database", database));
    overrides.put("broker", new JsonObject().put("type", "redis").put("uri", redis.uri())
        .mergeIn(extra.getJsonObject("broker", new JsonObject())));
    overrides.put("node", new JsonObject().put("id", "n" + nodes.size()));
    TestNode node = TestNode.start(vertx, StoreKind.MYSQL, overrides);
    nodes.add(node);
    return node;
  }

  public TestNode node(int i) {
    return nodes.get(i);
  }

  public TestRedis redis() {
    return redis;
  }

  /** The configuration a separate node process needs to join (for crash tests). */
  public JsonObject joinConfig() {
    return new JsonObject()
        .put("store", new JsonObject().put("type", "mysql").put("host", TestNode.MYSQL_HOST)
            .put("port", TestNode.MYSQL_PORT).put("database", database))
        .put("broker", new JsonObject().put("type", "redis").put("uri", redis.uri())
            .mergeIn(extra.getJsonObject("broker", new JsonObject())));
  }

  @Override
  public void close() {
    nodes.forEach(TestNode::stopNode);
    nodes.forEach(TestNode::close);
    vertxes.forEach(v -> TestNode.await(v.close()));
    redis.close();
  }
}
