package chat.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The node's whole configuration, read once at start: built-in defaults, then the file, then
 * {@code CHAT_*} environment variables. Validated here; immutable afterwards.
 */
public record ChatConfig(
    String host,
    List<Integer> ports,
    int instances,
    String nodeId,
    StoreConfig store,
    BrokerConfig broker,
    Limits limits,
    AdmissionConfig admission,
    PasswordHashing passwordHashing,
    boolean proxyProtocol,
    Tls tls,
    Metrics metrics,
    Web web,
    Sessions sessions,
    int drainSeconds,
    String logLevel) {

  public static final int DEFAULT_DRAIN_SECONDS = 10;

  /** Optional TLS on every chat port (PEM files); both paths empty means plain TCP. */
  public record Tls(String certPath, String keyPath) {
    public boolean enabled() {
      return !certPath.isEmpty();
    }

    /** The certificate and key as the chat and web servers take them. */
    public PemKeyCertOptions keyCert() {
      return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
    }
  }

  /**
   * {@code maxPerUser}: how many live v2 sessions a user may hold at once across the cluster (a
   * legacy login keeps the classic rule whatever it says: errno 2 while the user has any session; 1
   * restores that rule for everyone). {@code presenceWindowMillis}: how long a node gathers presence changes before it tells friends;
   * a user whose last session ends and who is back within it (a page reload) tells nobody anything.
   */
  public record Sessions(int maxPerUser, int presenceWindowMillis) {
    public static final int DEFAULT_PRESENCE_WINDOW_MILLIS = 100;
    public static final int DEFAULT_MAX_PER_USER = 5;
  }

  /** The HTTP port for /metrics and /health/*; port 0 means off. */
  public record Metrics(String host, int port) {
    public boolean enabled() {
      return port > 0;
    }
  }

  /**
   * The web client's port: its page at {@code /} and the same protocol over WebSocket at
   * {@code /ws}; port 0 means off. A browser page from another origin may open the WebSocket only
   * if that origin is listed (a page from the node itself always may).
   */
  public record Web(String host, int port, List<String> allowedOrigins) {
    public static final int DEFAULT_PORT = 8080;

    public boolean enabled() {
      return port > 0;
    }
  }

  /**
   * A TCP port this node listens on and the keys that set its address, so that a port that cannot
   * be bound is reported with the setting that moves it.
   */
  public record Listener(String name, String hostKey, String host, String portKey, int port) {
    public String hostVariable() {
      return EnvOverrides.variable(hostKey);
    }

    public String portVariable() {
      return EnvOverrides.variable(portKey);
    }
  }

  /** Every key with its default value; the file and the environment may only set keys listed here. */
  public static JsonObject defaults() {
    return new JsonObject()
        .put("host", "0.0.0.0")
        .put("ports", new JsonArray().add(6000))
        .put("instances", Runtime.getRuntime().availableProcessors())
        .put("node", new JsonObject().put("id", ""))
        .put("store", new JsonObject()
            .put("type", "embedded")
            .put("path", "data/chat")
            .put("host", "127.0.0.1")
            .put("port", 3306)
            .put("database", "chat")
            .put("user", "root")
            .put("password", "")
            .put("poolSize", StoreConfig.DEFAULT_POOL_SIZE)
            .put("appendConnections", StoreConfig.DEFAULT_APPEND_CONNECTIONS))
        .put("broker", new JsonObject()
            .put("type", "local")
            .put("mode", "standalone")
            .put("uri", "redis://127.0.0.1:6379")
            .put("endpoints", new JsonArray())
            .put("masterName", BrokerConfig.DEFAULT_MASTER_NAME)
            .put("leaseSeconds", BrokerConfig.DEFAULT_LEASE_SECONDS)
            .put("namespace", ""))
        .put("limits", new JsonObject()
            .put("maxFrameBytes", Limits.DEFAULT_MAX_FRAME_BYTES)
            .put("idleSeconds", Limits.DEFAULT_IDLE_SECONDS)
            .put("frameSeconds", Limits.DEFAULT_FRAME_SECONDS)
            .put("maxTextChars", Limits.DEFAULT_MAX_TEXT_CHARS)
            .put("tokenHours", Limits.DEFAULT_TOKEN_HOURS)
            .put("messagesPerSecond", Limits.DEFAULT_MESSAGES_PER_SECOND)
            .put("messageBurst", Limits.DEFAULT_MESSAGE_BURST)
            .put("connectionsPerMinute", Limits.DEFAULT_CONNECTIONS_PER_MINUTE)
            .put("failedLoginsPerMinute", Limits.DEFAULT_FAILED_LOGINS_PER_MINUTE)
            .put("exemptNetworks", new JsonArray(Limits.DEFAULT_EXEMPT_NETWORKS))
            .put("slowReaderSeconds", Limits.DEFAULT_SLOW_READER_SECONDS)
            .put("legacyPushGapMillis", Limits.DEFAULT_LEGACY_PUSH_GAP_MILLIS)
            .put("editSeconds", Limits.DEFAULT_EDIT_SECONDS)
            .put("recallSeconds", Limits.DEFAULT_RECALL_SECONDS))
        .put("admission", new JsonObject()
            .put("loginsInFlight", AdmissionConfig.DEFAULT_LOGINS_IN_FLIGHT)
            .put("queriesInFlight", AdmissionConfig.DEFAULT_QUERIES_IN_FLIGHT)
            .put("perAddressInFlight", AdmissionConfig.DEFAULT_PER_ADDRESS_IN_FLIGHT))
        .put("proxyProtocol", false)
        .put("tls", new JsonObject().put("certPath", "").put("keyPath", ""))
        .put("metrics", new JsonObject().put("host", "0.0.0.0").put("port", 0))
        .put("web", new JsonObject().put("host", "0.0.0.0").put("port", Web.DEFAULT_PORT)
            .put("allowedOrigins", new JsonArray()))
        .put("sessions", new JsonObject().put("maxPerUser", Sessions.DEFAULT_MAX_PER_USER)
            .put("presenceWindowMillis", Sessions.DEFAULT_PRESENCE_WINDOW_MILLIS))
        .put("drainSeconds", DEFAULT_DRAIN_SECONDS)
        .put("logLevel", "INFO")
        .put("passwordHashing", new JsonObject()
            .put("memoryKiB", PasswordHashing.DEFAULT_MEMORY_KIB)
            .put("iterations", PasswordHashing.DEFAULT_ITERATIONS)
            .put("parallelism", PasswordHashing.DEFAULT_PARALLELISM));
  }

  /**
   * Builds the configuration from a file's JSON (possibly empty) and the environment.
   *
   * @throws IllegalArgumentException naming the offending key, when anything is unknown or invalid
   */
  public static ChatConfig from(JsonObject file, Map<String, String> env) {
    JsonObject merged = defaults();
    mergeKnown(merged, file, "");
    EnvOverrides.apply(merged, env);
    return parse(merged);
  }

  private static void mergeKnown(JsonObject target, JsonObject source, String prefix) {
    for (Map.Entry<String, Object> e : source) {
      String key = prefix + e.getKey();
      if (!target.containsKey(e.getKey())) {
        throw new IllegalArgumentException("unknown configuration key '" + key + "'"
            + Suggest.didYouMean(key, target.fieldNames().stream().map(name -> prefix + name).toList()));
      }
      Object current = target.getValue(e.getKey());
      if (current instanceof JsonObject section) {
        if (!(e.getValue() instanceof JsonObject sub)) {
          throw new IllegalArgumentException("'" + key + "' must be an object");
        }
        mergeKnown(section, sub, key + ".");
      } else {
        target.put(e.getKey(), e.getValue());
      }
    }
  }

  private static ChatConfig parse(JsonObject c) {
    Reader r = new Reader(c);
    List<Integer> ports = new ArrayList<>();
    JsonArray portArray = r.array("ports");
    for (int i = 0; i < portArray.size(); i++) {
      ports.add(Reader.port("ports[" + i + "]", portArray.getValue(i)));
    }
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("'ports' must list at least one port");
    }
    String nodeId = r.section("node").string("id");
    if (nodeId.isBlank()) {
      nodeId = UUID.randomUUID().toString().substring(0, 8);
    }
    Reader tls = r.section("tls");
    Tls tlsConfig = new Tls(tls.string("certPath"), tls.string("keyPath"));
    if (tlsConfig.certPath().isEmpty() != tlsConfig.keyPath().isEmpty()) {
      throw new IllegalArgumentException("'tls.certPath' and 'tls.keyPath' go together: set both or neither");
    }
    Reader metrics = r.section("metrics");
    String logLevel = r.string("logLevel").toUpperCase();
    if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(logLevel)) {
      throw new IllegalArgumentException("'logLevel' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    return checkPortsDistinct(new ChatConfig(
        r.string("host"),
        List.copyOf(ports),
        r.intIn("instances", 1, 1024),
        nodeId,
        StoreConfig.parse(r.section("store")),
        BrokerConfig.parse(r.section("broker")),
        Limits.parse(r.section("limits")),
        AdmissionConfig.parse(r.section("admission")),
        PasswordHashing.parse(r.section("passwordHashing")),
        r.bool("proxyProtocol"),
        tlsConfig,
        new Metrics(metrics.string("host"), Reader.port("metrics.port", metrics.value("port"))),
        web(r.section("web")),
        new Sessions(r.section("sessions").intIn("maxPerUser", 1, 100),
            r.section("sessions").intIn("presenceWindowMillis", 1, 60_000)),
        r.intIn("drainSeconds", 1, 3600),
        logLevel));
  }

  private static Web web(Reader web) {
    List<String> origins = web.strings("allowedOrigins");
    for (String origin : origins) {
      // an origin is scheme://host[:port], exactly as a browser sends it
      if (!origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("'web.allowedOrigins' holds '" + origin
            + "', not an origin like https://chat.example.com");
      }
    }
    return new Web(web.string("host"), Reader.port("web.port", web.value("port")), origins);
  }

  private static ChatConfig checkPortsDistinct(ChatConfig config) {
    Set<Integer> taken = new HashSet<>();
    for (Listener l : config.listeners()) {
      if (l.port() > 0 && !taken.add(l.port())) {
        throw new IllegalArgumentException("'" + l.portKey() + "': port " + l.port()
            + " is taken twice in this node's settings ('ports', 'metrics.port' and 'web.port' must all differ)");
      }
    }
    return config;
  }

  public Listener chatListener(int port) {
    return new Listener("chat port", "host", host, "ports", port);
  }

  public Listener metricsListener() {
    return new Listener("metrics port", "metrics.host", metrics.host(), "metrics.port", metrics.port());
  }

  public Listener webListener() {
    return new Listener("web port", "web.host", web.host(), "web.port", web.port());
  }

  /** Every port this node listens on: the chat ports, then the metrics and web ports when they are on. */
  public List<Listener> listeners() {
    List<Listener> all = new ArrayList<>();
    ports.forEach(port -> all.add(chatListener(port)));
    if (metrics.enabled()) {
      all.add(metricsListener());
    }
    if (web.enabled()) {
      all.add(webListener());
    }
    return all;
  }

  /** A one-line summary of the configuration for the start-up log; never includes secrets. */
  public String describe() {
    return "node " + nodeId + ", ports " + ports + " x" + instances + " instances"
        + (tls.enabled() ? " (TLS)" : "") + (proxyProtocol ? " (PROXY protocol)" : "")
        + ", store " + store.describe() + ", broker " + broker.describe()
        + ", metrics " + (metrics.enabled() ? "on :" + metrics.port() : "off")
        + ", web " + (web.enabled() ? "on :" + web.port() : "off");
  }
}
