package chat.testing;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Several real nodes, each with its own Vert.x instance (so its own event bus: nothing crosses
 * between nodes but Redis), sharing one throwaway MariaDB database and a private Redis (its own
 * standalone server, or a Redis in any mode shared with other test clusters).
 */
public final class TestCluster implements AutoCloseable {
  private final RedisBackend backend;
  /** The standalone server this cluster started for itself and stops with it, or null. */
  private final TestRedis ownRedis;
  private final String database = TestNode.throwawayDatabase();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  private final JsonObject extra;
  private final boolean metrics;
  private boolean web;

  private TestCluster(RedisBackend backend, TestRedis ownRedis, JsonObject extra, boolean metrics) {
    this.backend = backend;
    this.ownRedis = ownRedis;
    this.extra = extra;
    this.metrics = metrics;
  }

  private static TestCluster withOwnRedis(JsonObject extra, boolean metrics) {
    TestRedis redis = TestRedis.start();
    return new TestCluster(redis, redis, extra, metrics);
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
    TestCluster cluster = withOwnRedis(extra, false);
    cluster.web = true;
    return fill(cluster, size);
  }

  /**
   * A cluster of its own database (so its own namespace) on a Redis that other clusters may share,
   * in any mode (left running on close).
   */
  public static TestCluster startOn(RedisBackend backend, int size, JsonObject extra) {
    return fill(new TestCluster(backend, null, extra, false), size);
  }

  private static TestCluster start(int size, JsonObject extra, boolean metrics) {
    return fill(withOwnRedis(extra, metrics), size);
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
    overrides.put("broker", brokerConfig());
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

  /** The standalone Redis this cluster started for itself (null on a shared one). */
  public TestRedis redis() {
    return ownRedis;
  }

  private JsonObject brokerConfig() {
    return new JsonObject().put("type", "redis").mergeIn(backend.brokerConfig())
        .mergeIn(extra.getJsonObject("broker", new JsonObject()));
  }

  /** The configuration a separate node process needs to join (for crash tests). */
  public JsonObject joinConfig() {
    return new JsonObject()
        .put("store", new JsonObject().put("type", "mysql").put("host", TestNode.MYSQL_HOST)
            .put("port", TestNode.MYSQL_PORT).put("database", database))
        .put("broker", brokerConfig());
  }

  @Override
  public void close() {
    nodes.forEach(TestNode::stopNode);
    nodes.forEach(TestNode::close);
    vertxes.forEach(v -> TestNode.await(v.close()));
    if (ownRedis != null) {
      ownRedis.close();
    }
  }
}
