package chat.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatConfigTest {

  @Test
  void defaultsRunOneEmbeddedNodeOn6000() {
    ChatConfig c = ChatConfig.from(new JsonObject(), Map.of());
    assertEquals(List.of(6000), c.ports());
    assertEquals(StoreConfig.Type.EMBEDDED, c.store().type());
    assertEquals("data/chat", c.store().path());
    assertEquals(BrokerConfig.Type.LOCAL, c.broker().type());
    assertEquals(65536, c.limits().maxFrameBytes());
    assertEquals(300, c.limits().idleSeconds());
    assertEquals(4096, c.limits().maxTextChars());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.instances());
    assertFalse(c.nodeId().isBlank());
  }

  @Test
  void fileThenEnvironment() {
    JsonObject file = new JsonObject()
        .put("ports", new JsonArray().add(7000))
        .put("store", new JsonObject().put("type", "mysql").put("host", "db1"));
    ChatConfig c = ChatConfig.from(file, Map.of(
        "CHAT_PORTS", "6002, 6004",
        "CHAT_STORE_HOST", "db",
        "CHAT_STORE_POOL_SIZE", "3",
        "CHAT_LIMITS_MAX_FRAME_BYTES", "2048",
        "CHAT_NODE_ID", "n7"));
    assertEquals(List.of(6002, 6004), c.ports());
    assertEquals(StoreConfig.Type.MYSQL, c.store().type());
    assertEquals("db", c.store().host());
    assertEquals(3, c.store().poolSize());
    assertEquals(2048, c.limits().maxFrameBytes());
    assertEquals("n7", c.nodeId());
  }

  @Test
  void unknownKeysAndBadValuesAreNamed() {
    var typo = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject().put("limits", new JsonObject().put("maxFrameByte", 1)), Map.of()));
    assertTrue(typo.getMessage().contains("limits.maxFrameByte"), typo.getMessage());
    var port = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject().put("ports", new JsonArray().add(70000)), Map.of()));
    assertTrue(port.getMessage().contains("ports[0]"), port.getMessage());
    var store = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject().put("store", new JsonObject().put("type", "oracle")), Map.of()));
    assertTrue(store.getMessage().contains("store.type"), store.getMessage());
    var db = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject().put("store", new JsonObject().put("database", "x`; DROP")), Map.of()));
    assertTrue(db.getMessage().contains("store.database"), db.getMessage());
    var frame = assertThrows(IllegalArgumentException.class, () -> ChatConfig.from(
        new JsonObject().put("limits", new JsonObject().put("maxFrameBytes", 8 * 1024 * 1024 + 1)), Map.of()));
    assertTrue(frame.getMessage().contains("limits.maxFrameBytes"), frame.getMessage());
    var env = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_INSTANCES", "many")));
    assertTrue(env.getMessage().contains("CHAT_INSTANCES"), env.getMessage());
  }

  @Test
  void mistypedKeysAndVariablesGetASuggestion() {
    var key = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject().put("limits", new JsonObject().put("idleSecs", 3)), Map.of()));
    assertEquals("unknown configuration key 'limits.idleSecs' (did you mean limits.idleSeconds?)", key.getMessage());
    var variable = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_PORT", "6001")));
    assertEquals("unknown environment variable CHAT_PORT: not a configuration key (did you mean CHAT_PORTS?)",
        variable.getMessage());
    var far = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_SOMETHING_ELSE", "1")));
    assertEquals("unknown environment variable CHAT_SOMETHING_ELSE: not a configuration key", far.getMessage());
  }

  @Test
  void listenersNameTheSettingThatMovesEachPort() {
    ChatConfig c = ChatConfig.from(new JsonObject(), Map.of("CHAT_PORTS", "6000,6002", "CHAT_METRICS_PORT", "9100",
        "CHAT_METRICS_HOST", "127.0.0.1"));
    assertEquals(List.of(
            new ChatConfig.Listener("chat port", "host", "0.0.0.0", "ports", 6000),
            new ChatConfig.Listener("chat port", "host", "0.0.0.0", "ports", 6002),
            new ChatConfig.Listener("metrics port", "metrics.host", "127.0.0.1", "metrics.port", 9100),
            new ChatConfig.Listener("web port", "web.host", "0.0.0.0", "web.port", 8080)),
        c.listeners());
    assertEquals("CHAT_WEB_PORT", c.webListener().portVariable());
    assertEquals("CHAT_METRICS_PORT", c.metricsListener().portVariable());
    assertEquals("CHAT_METRICS_HOST", c.metricsListener().hostVariable());
    assertEquals("CHAT_PORTS", c.chatListener(6000).portVariable());
    assertEquals(List.of(6000, 8080), ChatConfig.from(new JsonObject(), Map.of()).listeners().stream()
        .map(ChatConfig.Listener::port).toList(), "no metrics port by default; the web client on 8080");
    var twice = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_PORTS", "6000", "CHAT_METRICS_PORT", "6000")));
    assertTrue(twice.getMessage().contains("'metrics.port': port 6000 is taken twice"), twice.getMessage());
  }

  @Test
  void theEmbeddedStoreIsLoggedWithItsAbsolutePath() {
    ChatConfig c = ChatConfig.from(new JsonObject(), Map.of());
    String file = java.nio.file.Path.of("data/chat.mv.db").toAbsolutePath().toString();
    assertEquals(file, c.store().location());
    assertTrue(c.describe().contains("store embedded H2 at " + file), c.describe());
  }

  @Test
  void shippedProductionTemplateIsValid() throws Exception {
    JsonObject file = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.json")));
    ChatConfig c = ChatConfig.from(file, Map.of());
    assertEquals(StoreConfig.Type.MYSQL, c.store().type());
    assertEquals("127.0.0.1", c.store().host());
    assertEquals(3306, c.store().port());
    assertEquals("chat", c.store().database());
    assertTrue(c.proxyProtocol(), "production nodes sit behind nginx/nginx.conf, which sends the PROXY header");
    assertTrue(c.metrics().enabled());
    assertEquals(9100, c.metrics().port());
    assertEquals("0.0.0.0", c.metrics().host());
  }

  @Test
  void embeddedDefaultHasNoMetricsPortNorProxyProtocol() {
    ChatConfig c = ChatConfig.from(new JsonObject(), Map.of());
    assertFalse(c.metrics().enabled());
    assertFalse(c.proxyProtocol());
    assertFalse(c.tls().enabled());
    assertEquals(ChatConfig.DEFAULT_DRAIN_SECONDS, c.drainSeconds());
    assertEquals("INFO", c.logLevel());
  }

  @Test
  void operationsKeysFromTheEnvironment() {
    ChatConfig c = ChatConfig.from(new JsonObject(), Map.of(
        "CHAT_PROXY_PROTOCOL", "true",
        "CHAT_METRICS_PORT", "9101",
        "CHAT_TLS_CERT_PATH", "/etc/chat/cert.pem",
        "CHAT_TLS_KEY_PATH", "/etc/chat/key.pem",
        "CHAT_DRAIN_SECONDS", "20",
        "CHAT_LOG_LEVEL", "debug",
        "CHAT_LIMITS_EXEMPT_NETWORKS", "10.0.0.0/8, fd00::/8",
        "CHAT_LIMITS_CONNECTIONS_PER_MINUTE", "60",
        "CHAT_LIMITS_FAILED_LOGINS_PER_MINUTE", "5"));
    assertTrue(c.proxyProtocol());
    assertEquals(9101, c.metrics().port());
    assertTrue(c.tls().enabled());
    assertEquals(20, c.drainSeconds());
    assertEquals("DEBUG", c.logLevel());
    assertEquals(List.of("10.0.0.0/8", "fd00::/8"), c.limits().exemptNetworks().stream().map(Network::text).toList());
    assertEquals(60, c.limits().connectionsPerMinute());
    assertEquals(5, c.limits().failedLoginsPerMinute());
    var half = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_TLS_CERT_PATH", "/c.pem")));
    assertTrue(half.getMessage().contains("tls.keyPath"), half.getMessage());
    var network = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_LIMITS_EXEMPT_NETWORKS", "intranet")));
    assertTrue(network.getMessage().contains("limits.exemptNetworks"), network.getMessage());
  }

  @Test
  void redisModesFromTheEnvironmentAndTheirEndpointsChecked() {
    ChatConfig standalone = ChatConfig.from(new JsonObject(), Map.of("CHAT_BROKER_TYPE", "redis"));
    assertEquals(BrokerConfig.Mode.STANDALONE, standalone.broker().mode());
    assertEquals(List.of(), standalone.broker().endpoints());
    assertEquals("mymaster", standalone.broker().masterName());

    ChatConfig sentinel = ChatConfig.from(new JsonObject(), Map.of(
        "CHAT_BROKER_TYPE", "redis",
        "CHAT_BROKER_MODE", "sentinel",
        "CHAT_BROKER_ENDPOINTS", "redis://s1:26379, redis://:secret@s2:26379",
        "CHAT_BROKER_MASTER_NAME", "chat"));
    assertEquals(BrokerConfig.Mode.SENTINEL, sentinel.broker().mode());
    assertEquals(List.of("redis://s1:26379", "redis://:secret@s2:26379"), sentinel.broker().endpoints());
    assertEquals("chat", sentinel.broker().masterName());
    assertTrue(sentinel.describe().contains("redis sentinel, master 'chat' via redis://s1:26379,redis://***@s2:26379"),
        sentinel.describe());

    ChatConfig cluster = ChatConfig.from(new JsonObject().put("broker", new JsonObject().put("type", "redis")
        .put("mode", "cluster").put("endpoints", new JsonArray().add("rediss://c1:7000"))), Map.of());
    assertEquals(BrokerConfig.Mode.CLUSTER, cluster.broker().mode());
    assertTrue(cluster.describe().contains("redis cluster via rediss://c1:7000"), cluster.describe());

    for (Map<String, String> bad : List.of(
        Map.of("CHAT_BROKER_MODE", "cluster"),
        Map.of("CHAT_BROKER_ENDPOINTS", "redis://s1:26379"),
        Map.of("CHAT_BROKER_MODE", "sentinel", "CHAT_BROKER_ENDPOINTS", "http://s1:26379"))) {
      var e = assertThrows(IllegalArgumentException.class, () -> ChatConfig.from(new JsonObject(), bad));
      assertTrue(e.getMessage().contains("'broker.endpoints'"), e.getMessage());
    }
    var mode = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_BROKER_MODE", "replicated")));
    assertTrue(mode.getMessage().contains("broker.mode"), mode.getMessage());
    var name = assertThrows(IllegalArgumentException.class,
        () -> ChatConfig.from(new JsonObject(), Map.of("CHAT_BROKER_MASTER_NAME", "my master")));
    assertTrue(name.getMessage().contains("broker.masterName"), name.getMessage());
  }
}
