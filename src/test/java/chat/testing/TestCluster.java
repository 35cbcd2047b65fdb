package chat.testing;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Several real nodes, each with its own Vert.x instance (so its own event bus: nothing crosses
 * between nodes but Redis), sharing one throwaway MariaDB database and a private Redis.
 */
public final class TestCluster implements AutoCloseable {
  private final TestRedis redis;
  private final String database = TestNode.throwawayDatabase();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  private final JsonObject extra;
  private final boolean metrics;
  private final boolean ownsRedis;
  private boolean web;

  private TestCluster(TestRedis redis, JsonObject extra, boolean metrics, boolean ownsRedis) {
    this.redis = redis;
    this.extra = extra;
    this.metrics = metrics;
    this.ownsRedis = ownsRedis;
  }

  public static TestCluster start(int size) {
    return start(size, new JsonObject());
  }

  /** {@code extra} is configuration for every node (e.g. {"proxyProtocol":true}). */
  public static TestCluster start(int size, JsonObject extra) {
    return start(size, extra, false);
  }

  /** Nodes whose Vert.x reports to their registry, each serving /metrics and /health on its own port. */
  public static TestCluster startWithMetrics(int size, JsonObject extra) {
    return start(size, extra, true);
  }

  /** Nodes that each serve the web client on a free port of their own ({@link TestNode#webPort()}). */
  public static TestCluster startWithWeb(int size, JsonObject extra) {
    TestCluster cluster = new TestCluster(TestRedis.start(), extra, false, true);
    cluster.web = true;
    return fill(cluster, size);
  }

  /** A cluster of its own database on a Redis that another cluster may share (left running on close). */
  public static TestCluster startOn(TestRedis redis, int size, JsonObject extra) {
    return fill(new TestCluster(redis, extra, false, false), size);
  }

  private static TestCluster start(int size, JsonObject extra, boolean metrics) {
    return fill(new TestCluster(TestRedis.start(), extra, metrics, true), size);
  }

  private static TestCluster fill(TestCluster cluster, int size) {
    for (int i = 0; i < size; i++) {
      cluster.addNode();
    }
    return cluster;
  }

  /** Starts one more node in the cluster. */
  public TestNode addNode() {
    PrometheusMeterRegistry registry = metrics ? TestNode.newRegistry() : null;
    Vertx vertx = metrics ? TestNode.metricsVertx(registry) : Vertx.vertx();
    vertxes.add(vertx);
    JsonObject overrides = extra.copy();
    overrides.put("store", new JsonObject().put("database", database));
    overrides.put("broker", new JsonObject().put("type", "redis").put("uri", redis.uri())
        .mergeIn(extra.getJsonObject("broker", new JsonObject())));
    overrides.put("node", new JsonObject().put("id", "n" + nodes.size()));
    if (web) {
      overrides.put("web", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())
          .mergeIn(extra.getJsonObject("web", new JsonObject())));
    }
    TestNode node = metrics
        ? TestNode.startWithMetrics(vertx, StoreKind.MYSQL, overrides, registry)
        : TestNode.start(vertx, StoreKind.MYSQL, overrides);
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
    if (ownsRedis) {
      redis.close();
    }
  }
}
