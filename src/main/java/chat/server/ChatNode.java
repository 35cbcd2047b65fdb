package chat.server;

import chat.cluster.LocalPresence;
import chat.cluster.LocalRouter;
import chat.cluster.Presence;
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
  private final List<String> deployments = new ArrayList<>();

  private ChatNode(Vertx vertx, ChatConfig config, Store store) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
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
    Presence presence = new LocalPresence();
    Services services = new Services(vertx, store, presence, new LocalRouter(vertx, store.offline(), presence),
        new PasswordHasher(config.passwordHashing()), config.limits());
    Dispatcher dispatcher = new Dispatcher(services);
    Future<Void> chain = Future.succeededFuture();
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

  /** Stops accepting, closes every session (releasing only this node's presence claims), closes the store. */
  public Future<Void> stop() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    deployments.clear();
    return Future.join(undeployed)
        .eventually(store::close)
        .onComplete(ar -> LOG.info("node {} stopped", config.nodeId()))
        .mapEmpty();
  }
}
