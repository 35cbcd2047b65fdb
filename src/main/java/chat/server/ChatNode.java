package chat.server;

import chat.admission.AddressLimiter;
import chat.admission.Admission;
import chat.cluster.Broker;
import chat.config.ChatConfig;
import chat.delivery.DeliveryRouter;
import chat.delivery.Inbound;
import chat.log.Appender;
import chat.log.CursorBook;
import chat.ops.ChatMetrics;
import chat.ops.OpsServer;
import chat.security.PasswordHasher;
import chat.security.Tokens;
import chat.service.Dispatcher;
import chat.service.Services;
import chat.session.LocalSessions;
import chat.session.Session;
import chat.store.Store;
import chat.store.sql.SqlStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One chat node, wired once: the store, the broker to the other nodes, the log appender and cursor
 * book, the router, the services, metrics and health, a NetServer verticle group per chat port and
 * one for the web port. Stopping it drains it: no new connections, every session finishes what it
 * read and logs its user out, then the node leaves the cluster.
 */
public final class ChatNode {
  private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The key of token MACs, shared by every node (see {@link Tokens}). */
  private static final String TOKEN_MAC_KEY = "token_mac";
  /** This cluster's identity: its Redis keys live under it unless {@code broker.namespace} says otherwise. */
  private static final String CLUSTER_ID = "cluster_id";

  private final Vertx vertx;
  private final ChatConfig config;
  private final Store store;
  private final LocalSessions sessions = new LocalSessions();
  private final ChatMetrics metrics;
  private final AddressLimiter addresses;
  private final Acceptors acceptors;
  private final List<String> deployments = new ArrayList<>();
  private Broker broker;
  private CursorBook cursors;
  private Dispatcher dispatcher;
  private String opsDeployment;
  /** How long each step of a stop after the drain may take (the process's own bound is drainSeconds + 10 s). */
  private static final long STEP_SECONDS = 2;
  private volatile boolean draining;
  private long limiterTimer = -1;

  private ChatNode(Vertx vertx, ChatConfig config, Store store, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.metrics = registry != null ? new ChatMetrics(registry) : ChatMetrics.none();
    this.addresses = new AddressLimiter(config.limits());
    this.acceptors = new Acceptors(vertx, Duration.ofSeconds(config.drainSeconds()));
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
        .compose(v -> SqlStore.open(vertx, config.store()))
        .compose(store -> {
          ChatNode node = new ChatNode(vertx, config, store, registry);
          return node.deploy(registry).transform(ar -> ar.succeeded()
              ? Future.succeededFuture(node)
              : node.stop().transform(v -> Future.failedFuture(ar.cause())));
        })
        .onSuccess(node -> LOG.info("node started in {} ms: {}", (System.nanoTime() - started) / 1_000_000,
            config.describe()));
  }

  /** Values every node of the cluster shares, kept in the store: the first node makes them. */
  private Future<Void> deploy(PrometheusMeterRegistry registry) {
    return store.secrets().shared(TOKEN_MAC_KEY, randomHex(32))
        .compose(macKey -> store.secrets().shared(CLUSTER_ID, randomHex(6))
            .compose(clusterId -> deploy(registry, new Tokens(HexFormat.of().parseHex(macKey)), clusterId)));
  }

  private Future<Void> deploy(PrometheusMeterRegistry registry, Tokens tokens, String clusterId) {
    broker = Broker.create(vertx, config.broker(), config.nodeId(), clusterId, new Inbound(sessions),
        config.sessions().maxPerUser());
    cursors = new CursorBook(vertx, store.log());
    Session.Shared shared = new Session.Shared(vertx, store.log(), cursors, sessions,
        config.sessions().maxPerUser(), metrics, store.blocks());
    Services services = new Services(vertx, store, broker.presence(),
        new Appender(store.log(), vertx.getOrCreateContext(), config.store().appendLanes()), cursors,
        new DeliveryRouter(sessions, broker.remote(), metrics, config.sessions().maxPerUser()),
        new PasswordHasher(vertx, config.passwordHashing()), tokens, config.limits(), config.sessions(), addresses,
        new Admission(config.admission(), addresses));
    dispatcher = new Dispatcher(services);
    limiterTimer = vertx.setPeriodic(TimeUnit.MINUTES.toMillis(1), t -> addresses.forgetIdle());
    Future<Void> chain = broker.start();
    if (config.metrics().enabled()) {
      Map<String, Supplier<Future<Void>>> checks = new LinkedHashMap<>();
      checks.put("store", store::ping);
      checks.put("broker", broker::ping);
      chain = chain.compose(v -> Ports.explained(config.metricsListener(),
              vertx.deployVerticle(new OpsServer(config.metrics(), registry, checks, () -> draining))))
          .map(id -> {
            opsDeployment = id;
            LOG.info("metrics and health on {}:{}", config.metrics().host(), config.metrics().port());
            return null;
          });
    }
    Connections.Factory connections = v -> new Connections(v, config, dispatcher, metrics, shared);
    for (int port : config.ports()) {
      chain = chain.compose(v -> Ports.explained(config.chatListener(port), vertx.deployVerticle(
              () -> new ChatServerVerticle(config, port, addresses, connections, acceptors),
              new DeploymentOptions().setInstances(config.instances())))
          .map(id -> {
            deployments.add(id);
            LOG.info("listening on {}:{} with {} event-loop instances", config.host(), port, config.instances());
            return null;
          }));
    }
    if (config.web().enabled()) {
      chain = chain.compose(v -> Ports.explained(config.webListener(), vertx.deployVerticle(
              () -> new WebServerVerticle(config, addresses, connections, acceptors),
              new DeploymentOptions().setInstances(config.instances())))
          .map(id -> {
            deployments.add(id);
            LOG.info("web client on http{}://{}:{}/ (WebSocket at /ws)", config.tls().enabled() ? "s" : "",
                config.web().host(), config.web().port());
            return null;
          }));
    }
    return chain;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
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
    // every port closed before any connection is: a client dropped below and reconnecting at once is refused
    return acceptors.stopAccepting()
        .compose(v -> {
          List<Future<Void>> undeployed = new ArrayList<>();
          for (String id : deployments) {
            undeployed.add(vertx.undeploy(id));
          }
          deployments.clear();
          return Future.join(undeployed);
        })
        .timeout(config.drainSeconds(), TimeUnit.SECONDS)
        .onFailure(err -> LOG.warn("stopping: connections still open after drainSeconds ({} s) were cut: {}",
            config.drainSeconds(), err.toString()))
        .eventually(() -> step("telling friends who left",
            () -> dispatcher == null ? Future.succeededFuture() : dispatcher.stop()))
        .eventually(() -> step("leaving the cluster", () -> broker == null ? Future.succeededFuture() : broker.stop()))
        .eventually(() -> step("writing the cursors", () -> cursors == null ? Future.succeededFuture() : cursors.close()))
        .eventually(() -> step("stopping the ops port",
            () -> opsDeployment == null ? Future.succeededFuture() : vertx.undeploy(opsDeployment)))
        .eventually(() -> step("closing the store", store::close))
        .onComplete(ar -> LOG.info("node {} stopped", config.nodeId()))
        .mapEmpty();
  }

  /**
   * A step of the stop after the drain, bounded so that the stop as a whole is: one that does not
   * finish is named in the log, and the steps after it run anyway.
   */
  private static Future<Void> step(String what, Supplier<Future<?>> step) {
    return step.get().<Void>mapEmpty().timeout(STEP_SECONDS, TimeUnit.SECONDS)
        .onFailure(err -> LOG.warn("stopping: {} did not finish: {}", what, err.toString()))
        .otherwiseEmpty();
  }
}
