package chat.server;

import chat.cluster.Broker;
import chat.cluster.DeliveryRouter;
import chat.config.ChatConfig;
import chat.security.PasswordHasher;
import chat.service.Dispatcher;
import chat.service.Services;
import chat.store.Store;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** One chat node: the store, presence and routing, and a NetServer verticle group per port. */
public final class ChatNode {
  private static final Logger LOG = LoggerFactory.getLogger(ChatNode.class);

  private final Vertx vertx;
  private final ChatConfig config;
  private final Store store;
  private final Broker broker;
  private final List<String> deployments = new ArrayList<>();

  private ChatNode(Vertx vertx, ChatConfig config, Store store) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.broker = Broker.create(vertx, config.broker(), config.nodeId());
  }

  public static Future<ChatNode> start(Vertx vertx, ChatConfig config) {
    long started = System.nanoTime();
    return Store.open(vertx, config.store())
        .compose(store -> {
          ChatNode node = new ChatNode(vertx, config, store);
          return node.deploy().transform(ar -> ar.succeeded()
              ? Future.succeededFuture(node)
              : node.stop().transform(v -> Future.failedFuture(ar.cause())));
        })
        .onSuccess(node -> LOG.info("node started in {} ms: {}", (System.nanoTime() - started) / 1_000_000,
            config.describe()));
  }

  private Future<Void> deploy() {
    Services services = new Services(vertx, store, broker.presence(),
        new DeliveryRouter(vertx, store.offline(), broker.remote()),
        new PasswordHasher(config.passwordHashing()), config.limits());
    Dispatcher dispatcher = new Dispatcher(services);
    Future<Void> chain = broker.start();
    for (int port : config.ports()) {
      chain = chain.compose(v -> vertx.deployVerticle(
              () -> new ChatServerVerticle(config.host(), port, config.nodeId(), config.limits(), dispatcher),
              new DeploymentOptions().setInstances(config.instances()))
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
   * Stops accepting, closes every session (releasing only this node's own presence claims), leaves
   * the cluster, closes the store.
   */
  public Future<Void> stop() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    deployments.clear();
    return Future.join(undeployed)
        .eventually(broker::stop)
        .eventually(store::close)
        .onComplete(ar -> LOG.info("node {} stopped", config.nodeId()))
        .mapEmpty();
  }
}
