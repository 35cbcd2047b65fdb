package chat.server;

import chat.config.ChatConfig;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.json.JsonObject;
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
        case "-h", "--help" -> {
          System.out.println("usage: java -jar chat-fat.jar [-conf config.json] [-instances n]\n"
              + "       java -jar chat-fat.jar client [--host H] [--port P]");
          return;
        }
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
    LOG.info("transport: {}", vertx.isNativeTransportEnabled() ? "native epoll" : "NIO");
    ChatNode node;
    try {
      node = ChatNode.start(vertx, config, registry).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("node failed to start: {}", e.toString());
      vertx.close();
      System.exit(1);
      return;
    }
    installStopSignals(vertx, node);
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
