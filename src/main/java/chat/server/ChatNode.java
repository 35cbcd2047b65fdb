package chat.server;

import chat.cluster.Broker;
import chat.cluster.DeliveryRouter;
import chat.cluster.LocalSessions;
import chat.config.ChatConfig;
import chat.ops.ChatMetrics;
import chat.ops.OpsServer;
import chat.security.AddressLimiter;
import chat.security.PasswordHasher;
import chat.service.Dispatcher;
import chat.security.Tokens;
import chat.service.Services;
import chat.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One chat node: store, broker, metrics and health, and a NetServer verticle group per port. */
public final class ChatNode {
  private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);

  private final Vertx vertx;
  private final ChatConfig config;
  private final Store store;
  private final Broker broker;
  private final ChatMetrics metrics;
  private final AddressLimiter addresses;
  private final List<String> deployments = new ArrayList<>();
  private String opsDeployment;
  private volatile boolean draining;
  private long limiterTimer = -1;

  private ChatNode(Vertx vertx, ChatConfig config, Store store, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.broker = Broker.create(vertx, config.broker(), config.nodeId());
    this.metrics = registry != null ? new ChatMetrics(registry) : ChatMetrics.none();
    this.addresses = new AddressLimiter(config.limits());
  }

  public static Future<ChatNode> start(Vertx vertx, ChatConfig config) {
    return start(vertx, config, null);
  }

  /**
   * Starts a node whose meters go to {@code given} (the registry Vert.x reports its own metrics to,
   * when it was built with metrics), served on {@code metrics.port}. With metrics on and no
   * registry, the node makes its own: chat meters only, no Vert.x ones.
   */
  public static Future<ChatNode> start(Vertx vertx, ChatConfig config, PrometheusMeterRegistry given) {
    long started = System.nanoTime();
    PrometheusMeterRegistry registry = given == null && config.metrics().enabled()
        ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
        : given;
    // a port in use stops the start before the store creates anything
    return Ports.check(vertx, config)
        .compose(v -> Store.open(vertx, config.store()))
        .compose(store -> {
          ChatNode node = new ChatNode(vertx, config, store, registry);
          return node.deploy(registry).transform(ar -> ar.succeeded()
              ? Future.succeededFuture(node)
              : node.stop().transform(v -> Future.failedFuture(ar.cause())));
        })
        .onSuccess(node -> LOG.info("node started in {} ms: {}", (System.nanoTime() - started) / 1_000_000,
            config.describe()));
  }

  private Future<Void> deploy(PrometheusMeterRegistry registry) {
    return store.tokens().macKey().compose(macKey -> deploy(registry, new Tokens(macKey)));
  }

  private Future<Void> deploy(PrometheusMeterRegistry registry, Tokens tokens) {
    LocalSessions sessions = new LocalSessions();
    Services services = new Services(vertx, store, broker.presence(),
        new DeliveryRouter(vertx, sessions, store.offline(), broker.remote(), metrics),
        new PasswordHasher(config.passwordHashing()), tokens, config.limits(), addresses);
    Dispatcher dispatcher = new Dispatcher(services);
    limiterTimer = vertx.setPeriodic(TimeUnit.MINUTES.toMillis(1), t -> addresses.forgetIdle());
    Future<Void> chain = broker.start();
    if (config.metrics().enabled()) {
      chain = chain.compose(v -> Ports.explained(config.metricsListener(),
              vertx.deployVerticle(new OpsServer(config.metrics(), registry, store, broker, () -> draining))))
          .map(id -> {
            opsDeployment = id;
            LOG.info("metrics and health on {}:{}", config.metrics().host(), config.metrics().port());
            return null;
          });
    }
    for (int port : config.ports()) {
      chain = chain.compose(v -> Ports.explained(config.chatListener(port), vertx.deployVerticle(
              () -> new ChatServerVerticle(config, port, dispatcher, addresses, metrics, sessions),
              new DeploymentOptions().setInstances(config.instances())))
          .map(id -> {
            deployments.add(id);
            LOG.info("listening on {}:{} with {} event-loop instances", config.host(), port, config.instances());
            return null;
          }));
    }
    return chain;
  }

  public ChatConfig config() {
    return config;
  }

  /**
   * Stops accepting, lets every session finish what it read and logs its user out (releasing only
   * this node's own presence claims), leaves the cluster, closes the store.
   */
  public Future<Void> stop() {
    draining = true;
    vertx.cancelTimer(limiterTimer);
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    deployments.clear();
    return Future.join(undeployed)
        .timeout(config.drainSeconds(), TimeUnit.SECONDS)
        .eventually(broker::stop)
        .eventually(() -> opsDeployment == null ? Future.succeededFuture() : vertx.undeploy(opsDeployment))
        .eventually(store::close)
        .onComplete(ar -> LOG.info("node {} stopped", config.nodeId()))
        .mapEmpty();
  }
}
