package chat.cluster;

import chat.config.BrokerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /**
   * The broker of a node whose store belongs to cluster {@code clusterId}: Redis keys and channels
   * live under {@code broker.namespace}, or under the cluster id when that is empty. Deliveries
   * relayed from other nodes go to {@code recipients}.
   */
  static Broker create(Vertx vertx, BrokerConfig config, String nodeId, String clusterId, LocalRecipients recipients,
                       int maxPerUser) {
    return config.type() == BrokerConfig.Type.REDIS
        ? new RedisBroker(vertx, config, nodeId, clusterId, recipients, maxPerUser)
        : new LocalBroker();
  }

  /** One node alone. */
  final class LocalBroker implements Broker {
    private final Presence presence;

    LocalBroker() {
      this.presence = new LocalPresence();
    }

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
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final long REMOTE_REPLY_TIMEOUT_MILLIS = 5000;

    private final Vertx vertx;
    private final RedisKeys keys;
    private final String clusterId;
    private final String namespace;
    private final LocalRecipients recipients;
    private final RedisServers servers;
    private final RedisLink publisher;
    private final RedisPresence presence;
    private final PendingReplies replies;
    private final RedisRemoteNodes remote;
    private final String incarnation;
    private String deployment;

    RedisBroker(Vertx vertx, BrokerConfig config, String nodeId, String clusterId, LocalRecipients recipients,
                int maxPerUser) {
      this.vertx = vertx;
      this.clusterId = clusterId;
      this.namespace = config.namespace().isEmpty() ? clusterId : config.namespace();
      this.keys = new RedisKeys(namespace);
      this.recipients = recipients;
      // a restarted node with the same id is a new incarnation: claims of the old one are not its own
      this.incarnation = nodeId + "-" + UUID.randomUUID().toString().substring(0, 8);
      this.servers = new RedisServers(vertx, config);
      this.publisher = new RedisLink(vertx, servers);
      this.presence = new RedisPresence(vertx, keys, publisher, recipients, incarnation, config.leaseSeconds() * 1000L);
      // a failover or restart may have lost the newest claims (replication is asynchronous): write them back
      publisher.whenReconnected(presence::reassertClaims);
      this.replies = new PendingReplies(vertx, incarnation, REMOTE_REPLY_TIMEOUT_MILLIS);
      // a message or an answer that Redis took just before the break may never arrive: do not wait for it
      publisher.whenLost(replies::abandonAll);
      this.remote = new RedisRemoteNodes(keys, publisher, presence, replies, maxPerUser == 1);
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
      return claimNamespace()
          .compose(v -> presence.start())
          .compose(v -> vertx.deployVerticle(new RedisSubscriber(servers, publisher, keys, incarnation, replies,
              recipients, presence::reassertClaims)))
          .map(id -> {
            deployment = id;
            return null;
          });
    }

    /**
     * Marks the namespace as this store's; a namespace already held by a different store means two
     * clusters would mix their users, so the node refuses to start. With Redis down the check waits
     * for the next start (the node still serves its own users meanwhile).
     */
    private Future<Void> claimNamespace() {
      return publisher.send(Request.cmd(Command.SET).arg(keys.owner()).arg(clusterId).arg("NX"))
          .compose(set -> publisher.send(Request.cmd(Command.GET).arg(keys.owner())))
          .transform(ar -> {
            if (ar.failed()) {
              LOG.warn("cannot check Redis namespace '{}' now ({}): Redis is not answering", namespace,
                  ar.cause().toString());
              return Future.succeededFuture();
            }
            String holder = ar.result() == null ? clusterId : ar.result().toString();
            if (!holder.equals(clusterId)) {
              return Future.failedFuture(new IllegalStateException("Redis namespace '" + namespace
                  + "' belongs to another cluster (store cluster id " + holder + ", ours is " + clusterId
                  + "): give this cluster its own broker.namespace, or leave it empty"));
            }
            LOG.info("Redis namespace '{}' (store cluster id {})", namespace, clusterId);
            return Future.succeededFuture();
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
          .eventually(() -> publisher.close().eventually(servers::close))
          .otherwiseEmpty()
          .mapEmpty();
    }
  }
}
