package chat.testing;

import chat.config.ChatConfig;
import chat.server.ChatNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.SqlClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real node on a free port, against a throwaway store: a fresh MariaDB database on
 * 127.0.0.1:3306 or a fresh embedded directory, both removed on close.
 */
public final class TestNode implements AutoCloseable {
  public static final String MYSQL_HOST = "127.0.0.1";
  public static final int MYSQL_PORT = 3306;

  private final Vertx vertx;
  private final StoreKind kind;
  private final JsonObject config;
  private final String database;
  private final Path directory;
  private final PrometheusMeterRegistry registry;
  private ChatNode node;

  private TestNode(Vertx vertx, StoreKind kind, JsonObject config, String database, Path directory,
                   PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.kind = kind;
    this.config = config;
    this.database = database;
    this.directory = directory;
    this.registry = registry;
  }

  public static TestNode start(Vertx vertx, StoreKind kind) {
    return start(vertx, kind, new JsonObject());
  }

  /** Overrides with the cheapest password hash allowed: for tests that register many users, not testing the hash. */
  public static JsonObject cheapPasswordHashing() {
    return new JsonObject().put("passwordHashing", new JsonObject().put("memoryKiB", 8).put("iterations", 1));
  }

  /** {@code overrides} are merged into the config section by section (e.g. {"limits":{…}}). */
  public static TestNode start(Vertx vertx, StoreKind kind, JsonObject overrides) {
    return start(vertx, kind, overrides, null);
  }

  /**
   * A node reporting to {@code registry}, the one {@code vertx} was built with (see
   * {@link #metricsVertx}), so that Vert.x's own meters are scraped with the chat ones; metrics and
   * health are served on a free port ({@link #metricsPort()}).
   */
  public static TestNode startWithMetrics(Vertx vertx, StoreKind kind, JsonObject overrides,
                                          PrometheusMeterRegistry registry) {
    JsonObject withPort = overrides.copy();
    withPort.put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", freePort()));
    return start(vertx, kind, withPort, registry);
  }

  /** A Vert.x that reports its pools, clients and event bus to {@code registry}, as ServerCommand builds it. */
  public static Vertx metricsVertx(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  private static TestNode start(Vertx vertx, StoreKind kind, JsonObject overrides, PrometheusMeterRegistry registry) {
    String database = throwawayDatabase();
    Path directory = TempDirs.create("chat-test-");
    JsonObject store = kind == StoreKind.MYSQL
        ? new JsonObject().put("type", "mysql").put("host", MYSQL_HOST).put("port", MYSQL_PORT)
            .put("database", database).put("user", "root").put("password", "")
        : new JsonObject().put("type", "embedded").put("path", directory.resolve("chat").toString());
    JsonObject config = new JsonObject()
        .put("host", "127.0.0.1")
        .put("ports", new JsonArray().add(freePort()))
        .put("instances", 2)
        // no web port unless a test asks for one (WebTestBase): several nodes run at once
        .put("web", new JsonObject().put("port", 0))
        .put("store", store);
    overrides.forEach(e -> {
      if (e.getValue() instanceof JsonObject section && config.getValue(e.getKey()) instanceof JsonObject mine) {
        mine.mergeIn(section);
      } else {
        config.put(e.getKey(), e.getValue());
      }
    });
    TestNode node = new TestNode(vertx, kind, config, config.getJsonObject("store").getString("database"), directory,
        registry);
    node.startNode();
    return node;
  }

  /** (Re)starts the node on the same store and port. */
  public void startNode() {
    node = await(ChatNode.start(vertx, ChatConfig.from(config.copy(), Map.of()), registry));
  }

  /** Begins a stop without waiting for it; {@link #stopNode} afterwards waits for the end. */
  public Future<Void> stopNodeAsync() {
    Future<Void> stopping = node.stop();
    node = null;
    return stopping;
  }

  public void stopNode() {
    if (node != null) {
      await(node.stop());
      node = null;
    }
  }

  /** The configuration this node runs with (a copy). */
  public JsonObject configJson() {
    return config.copy();
  }

  public int port() {
    return config.getJsonArray("ports").getInteger(0);
  }

  public OpsHttp.Scrape scrape() {
    OpsHttp.Response r = http("/metrics");
    if (r.status() != 200) {
      throw new AssertionError("/metrics answered " + r.status());
    }
    return new OpsHttp.Scrape(r.body());
  }

  /** The HTTP port of /metrics and /health/*, 0 when off. */
  public int metricsPort() {
    return config.getJsonObject("metrics", new JsonObject()).getInteger("port", 0);
  }

  /** GET on the metrics port. */
  public OpsHttp.Response http(String path) {
    return OpsHttp.get(metricsPort(), path);
  }

  /** The web port (the web client's page and /ws), 0 when off; tests turn it on with {"web":{"port":…}}. */
  public int webPort() {
    return config.getJsonObject("web").getInteger("port", 0);
  }

  /** The web client's address on this node. */
  public String webUrl() {
    return "http://127.0.0.1:" + webPort() + "/";
  }

  public StoreKind kind() {
    return kind;
  }

  public TestClient connect() {
    return TestClient.connect(port());
  }

  @Override
  public void close() {
    stopNode();
    if (kind == StoreKind.MYSQL) {
      dropDatabase(vertx, database);
    }
    TempDirs.delete(directory);
  }

  /** A name for a database of the test MariaDB that no other test uses; {@link #dropDatabase} removes it. */
  public static String throwawayDatabase() {
    return "chat_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Drops a throwaway database of the test MariaDB, if it is there. */
  public static void dropDatabase(Vertx vertx, String database) {
    SqlClient admin = MySQLBuilder.client()
        .connectingTo(new MySQLConnectOptions().setHost(MYSQL_HOST).setPort(MYSQL_PORT).setUser("root").setPassword(""))
        .using(vertx).build();
    await(admin.query("DROP DATABASE IF EXISTS `" + database + "`").execute().eventually(admin::close));
  }

  /** Blocks the test thread (never an event loop) on a future, for at most a minute. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  /**
   * A port free now, below the kernel's ephemeral range (32768 and up): a port from that range can be
   * taken as the local end of any outgoing connection (the browser's, a store client's) before the
   * test binds it, or while a test has its listener closed to simulate an outage.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket s = new ServerSocket(port)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between 20000 and 32000");
  }
}
