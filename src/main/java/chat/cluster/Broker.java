package chat.cluster;

import chat.config.BrokerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.RedisOptions;

import java.util.UUID;

/** How a node reaches the rest of the cluster: presence plus the way to other nodes. */
public interface Broker {
  Presence presence();

  RemoteNodes remote();

  Future<Void> start();

  /** Succeeds when the broker answers (always, for a single node). */
  Future<Void> ping();

  /** Leaves the cluster; called after the node's sessions were closed and their claims released. */
  Future<Void> stop();

  static Broker create(Vertx vertx, BrokerConfig config, String nodeId) {
    return config.type() == BrokerConfig.Type.REDIS ? new RedisBroker(vertx, config, nodeId) : new LocalBroker();
  }

  /** One node alone. */
  final class LocalBroker implements Broker {
    private final Presence presence = new LocalPresence();

    @Override
    public Presence presence() {
      return presence;
    }

    @Override
    public RemoteNodes remote() {
      return RemoteNodes.NONE;
    }

    @Override
    public Future<Void> start() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> ping() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }
  }

  /** Nodes joined by Redis: presence and leases in keys, messages on per-node channels. */
  final class RedisBroker implements Broker {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final long REMOTE_REPLY_TIMEOUT_MILLIS = 5000;

    private final Vertx vertx;
    private final Redis commands;
    private final RedisLink publisher;
    private final Redis subscriber;
    private final RedisPresence presence;
    private final PendingReplies replies;
    private final RedisRemoteNodes remote;
    private final String incarnation;
    private String deployment;

    RedisBroker(Vertx vertx, BrokerConfig config, String nodeId) {
      this.vertx = vertx;
      // a restarted node with the same id is a new incarnation: claims of the old one are not its own
      this.incarnation = nodeId + "-" + UUID.randomUUID().toString().substring(0, 8);
      RedisOptions options = new RedisOptions()
          .setConnectionString(config.uri())
          .setMaxPoolSize(1)
          .setMaxPoolWaiting(10_000)
          .setMaxWaitingHandlers(100_000)
          .setNetClientOptions(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setTcpNoDelay(true));
      this.commands = Redis.createClient(vertx, options);
      this.publisher = new RedisLink(commands);
      this.subscriber = Redis.createClient(vertx, new RedisOptions(options));
      this.presence = new RedisPresence(vertx, publisher, incarnation, config.leaseSeconds() * 1000L);
      this.replies = new PendingReplies(vertx, incarnation, REMOTE_REPLY_TIMEOUT_MILLIS);
      this.remote = new RedisRemoteNodes(publisher, presence, replies);
    }

    @Override
    public Presence presence() {
      return presence;
    }

    @Override
    public RemoteNodes remote() {
      return remote;
    }

    @Override
    public Future<Void> start() {
      return presence.start()
          .compose(v -> vertx.deployVerticle(new RedisSubscriber(subscriber, publisher, incarnation, replies,
              presence::reassertClaims)))
          .map(id -> {
            deployment = id;
            return null;
          });
    }

    @Override
    public Future<Void> ping() {
      return publisher.send(Request.cmd(Command.PING)).mapEmpty();
    }

    @Override
    public Future<Void> stop() {
      Future<Void> undeployed = deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
      return undeployed
          .eventually(presence::stop)
          .eventually(() -> subscriber.close().eventually(publisher::close).eventually(commands::close))
          .otherwiseEmpty()
          .mapEmpty();
    }
  }
}
