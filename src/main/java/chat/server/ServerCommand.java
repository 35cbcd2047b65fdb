package chat.server;

import chat.cli.Jar;
import chat.config.ChatConfig;
import chat.config.SettingsHelp;
import chat.store.StoreInUse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar chat-fat.jar [-conf file] [-instances n]}: reads the configuration once, starts
 * a node, and on SIGINT/SIGTERM stops it cleanly and exits 0.
 */
public final class ServerCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);
  /** Beyond the drain itself: leaving the cluster and closing the store. */
  public static final long STOP_MARGIN_SECONDS = 10;

  private ServerCommand() {
  }

  public static void run(String[] args) {
    String confPath = null;
    Integer instances = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-conf", "--conf" -> confPath = value(args, ++i, "-conf");
        case "-instances", "--instances" -> instances = parseInt(value(args, ++i, "-instances"));
        case "-h", "--help", "help" -> {
          System.out.print(usage());
          return;
        }
        case "-V", "--version", "version" -> {
          System.out.println(Jar.version());
          return;
        }
        case "-p", "-port", "--port" -> exit("unknown argument '" + args[i] + "': a node's ports are set with"
            + " CHAT_PORTS (CHAT_PORTS=6001 " + Jar.command() + "); the client's with client --port (try --help)");
        default -> exit("unknown argument '" + args[i] + "' (try --help)");
      }
    }
    if (confPath != null && !Files.isRegularFile(Path.of(confPath))) {
      exit("configuration file not found: " + confPath);
    }
    ChatConfig config;
    try {
      JsonObject file = readFile(confPath);
      if (instances != null) {
        file.put("instances", instances);
      }
      config = ChatConfig.from(file, System.getenv());
    } catch (Exception e) {
      exit("bad configuration: " + e.getMessage());
      return;
    }
    setLogLevel(config.logLevel());
    PrometheusMeterRegistry registry = null;
    // epoll where the platform has it (Linux), NIO elsewhere
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    Vertx vertx;
    if (config.metrics().enabled()) {
      // Vert.x reports its own metrics (pools, SQL and Redis clients, event bus) to the same registry
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = Vertx.builder()
          .with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build();
    } else {
      vertx = Vertx.vertx(options);
    }
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("transport: native epoll");
    } else {
      LOG.info("transport: NIO (native epoll unavailable: {})", vertx.unavailableNativeTransportCause());
    }
    ChatNode node;
    try {
      node = ChatNode.start(vertx, config, registry).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a port or a store another process holds is explained in words; anything else as it came
      LOG.error("node failed to start: {}", e instanceof Ports.CannotListen || e instanceof StoreInUse
          ? e.getMessage() : e.toString());
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("clients: {}", howToConnect(config));
    installStopSignals(vertx, node);
  }

  /** The jar's help: what it runs, the common settings and how to start. */
  private static String usage() {
    String jar = Jar.command();
    return Jar.version() + ": a clustered chat server, its terminal client and a load generator.\n"
        + "\n"
        + "Usage:\n"
        + columns(
            jar + " [-conf FILE] [-instances N]", "start a node",
            jar + " client [OPTIONS]", "the terminal client (client --help)",
            jar + " bench SCENARIO [OPTIONS]", "the load generator (bench --help)",
            jar + " help | --version", "")
        + "\n"
        + "Without -conf a node keeps its data in an embedded H2 store under data/ in the working\n"
        + "directory and listens on port 6000; conf/config.json is the production template (MariaDB or\n"
        + "MySQL, Redis between nodes, metrics on 9100, behind nginx).\n"
        + "\n"
        + "Settings: built-in defaults, then the -conf JSON file, then CHAT_* environment variables\n"
        + "(CHAT_ + the key's path in upper snake case). The common ones (variable, key, default):\n"
        + SettingsHelp.table()
        + "Every setting: README.md, \"Every setting\".\n"
        + "\n"
        + Jar.examples(
            "a second node beside the first (started in the same directory): other ports, a store of its own",
            "CHAT_PORTS=6001 CHAT_WEB_PORT=8081 CHAT_STORE_PATH=data/node2/chat \\\n" + jar,
            "talk to the node on 6000", jar + " client --port 6000",
            "three nodes, MariaDB, Redis, nginx on 8000 (in a clone of the repository)", "scripts/cluster.sh up 3");
  }

  /** Pairs of (left, right) as aligned lines. */
  private static String columns(String... pairs) {
    int width = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      width = Math.max(width, pairs[i].length());
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(String.format("  %-" + width + "s   %s", pairs[i], pairs[i + 1]).stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** One line for the start-up log: the client command that reaches this node. */
  static String howToConnect(ChatConfig config) {
    if (config.proxyProtocol()) {
      return "through nginx (this node expects its PROXY protocol header), e.g. " + Jar.command() + " client --port 8000";
    }
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "" : " --host " + config.host();
    return Jar.command() + " client" + host + " --port " + config.ports().get(0)
        + (config.tls().enabled() ? " through a TLS tunnel (the chat ports speak TLS, the client plain TCP)" : "");
  }

  /** The -conf file through vertx-config (a short-lived Vert.x: the real one depends on what it says). */
  private static JsonObject readFile(String path) throws Exception {
    if (path == null) {
      return new JsonObject();
    }
    Vertx reader = Vertx.vertx();
    try {
      ConfigRetriever retriever = ConfigRetriever.create(reader, new ConfigRetrieverOptions()
          .setIncludeDefaultStores(false)
          .addStore(new ConfigStoreOptions().setType("file").setFormat("json")
              .setConfig(new JsonObject().put("path", path))));
      return retriever.getConfig().await(30, TimeUnit.SECONDS);
    } finally {
      reader.close();
    }
  }

  private static void setLogLevel(String level) {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.toLevel(level));
    }
  }

  private static void installStopSignals(Vertx vertx, ChatNode node) {
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      LOG.info("stopping: no new connections, closing sessions");
      node.stop().eventually(vertx::close).onComplete(ar -> stopped.countDown());
      try {
        long limit = node.config().drainSeconds() + STOP_MARGIN_SECONDS;
        if (!stopped.await(limit, TimeUnit.SECONDS)) {
          LOG.warn("stop took longer than {} s, exiting anyway", limit);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.exit(0);
    };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> new Thread(stop, "chat-stop").start());
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      exit(flag + " needs a value");
    }
    return args[i];
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      exit("not a number: " + s);
      return 0;
    }
  }

  private static void exit(String message) {
    System.err.println("chat: " + message);
    System.exit(2);
  }
}
