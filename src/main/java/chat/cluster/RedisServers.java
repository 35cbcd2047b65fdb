package chat.cluster;

import chat.config.BrokerConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.ResponseType;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's Redis in the configured mode, and the two ways in: the command connection (one
 * server; the master Sentinel names; or the whole Redis Cluster, each command routed to its key's
 * shard) and the node's subscription (SUBSCRIBE on the one server or the master; sharded SSUBSCRIBE
 * on the master of the channel's shard in a Redis Cluster).
 */
final class RedisServers {
  private static final int CONNECT_TIMEOUT_MILLIS = 2000;
  /** A cluster node answers MOVED for a channel of another shard; more hops than this is a cluster in flux. */
  private static final int MAX_REDIRECTS = 5;

  /**
   * A subscribed connection and the client that opened it (one per subscription, so a new one asks
   * afresh); {@code ended} once it was lost or closed, so its loss is reported once at most.
   */
  record Subscription(Redis client, RedisConnection connection, AtomicBoolean ended) {
    Future<Void> close() {
      ended.set(true);
      return connection.close().otherwiseEmpty().eventually(client::close);
    }
  }

  private final Vertx vertx;
  private final BrokerConfig config;
  private final Redis commands;
  /** Which configured cluster node a subscription asks first: the next one after each attempt. */
  private final AtomicInteger nextEndpoint = new AtomicInteger();

  RedisServers(Vertx vertx, BrokerConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.commands = Redis.createClient(vertx, options(config.mode())
        // a cluster connection holds one connection per shard, the slot map's refresh borrows one,
        // and a replacement is opened while the old one still serves
        .setMaxPoolSize(4)
        .setPoolName("redis-commands")
        .setMaxPoolWaiting(10_000)
        .setMaxWaitingHandlers(100_000));
  }

  boolean cluster() {
    return config.mode() == BrokerConfig.Mode.CLUSTER;
  }

  /** A command connection; in Sentinel mode only to a server that says it is the master. */
  Future<RedisConnection> connect() {
    return commands.connect().compose(this::masterOnly);
  }

  /**
   * Subscribes a new connection to {@code channel}: {@code messages} gets each message's text,
   * {@code lost} is called once if the subscription ends after it was confirmed (the connection
   * broke, or the server dropped it: a shard that moved). Completes when Redis confirmed it.
   */
  Future<Subscription> subscribe(String channel, Handler<String> messages, Handler<Throwable> lost) {
    if (!cluster()) {
      Redis client = Redis.createClient(vertx, subscription(options(config.mode())));
      return subscribe(client, channel, messages, lost, 0);
    }
    String endpoint = config.endpoints().get(Math.floorMod(nextEndpoint.getAndIncrement(), config.endpoints().size()));
    return subscribe(standalone(endpoint), channel, messages, lost, MAX_REDIRECTS);
  }

  private Future<Subscription> subscribe(Redis client, String channel, Handler<String> messages,
                                         Handler<Throwable> lost, int redirects) {
    Promise<Void> confirmed = Promise.promise();
    AtomicBoolean ended = new AtomicBoolean();
    // lost once, and only a subscription that was confirmed and not closed by us
    Handler<Throwable> broken = err -> {
      if (!confirmed.tryFail(err) && confirmed.future().succeeded() && ended.compareAndSet(false, true)) {
        lost.handle(err);
      }
    };
    String kind = cluster() ? "ssubscribe" : "subscribe";
    return client.connect().compose(this::masterOnly).compose(conn -> {
      conn.handler(push -> {
        if (!confirmed.future().succeeded()) {
          // (S)SUBSCRIBE is answered by a push, or by an error such as MOVED
          if (push.type() == ResponseType.ERROR) {
            confirmed.tryFail(new SubscribeRefused(push.toString()));
          } else if (kind.equals(push.get(0).toString())) {
            confirmed.tryComplete();
          }
          return;
        }
        String type = push.get(0).toString();
        if (type.equals("message") || type.equals("smessage")) {
          messages.handle(push.get(2).toString());
        } else if (type.equals("unsubscribe") || type.equals("sunsubscribe")) {
          broken.handle(new IllegalStateException("Redis ended the subscription (" + type + ")"));
        }
      });
      conn.exceptionHandler(broken);
      conn.endHandler(v -> broken.handle(new IllegalStateException("connection closed")));
      return conn.send(Request.cmd(cluster() ? Command.SSUBSCRIBE : Command.SUBSCRIBE).arg(channel))
          .compose(written -> confirmed.future().timeout(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
          .map(ok -> new Subscription(client, conn, ended))
          .recover(err -> conn.close().otherwiseEmpty().transform(v -> Future.failedFuture(err)));
    }).recover(err -> {
      // not waiting for the close: it may complete on another thread, and the next connection takes
      // the context it is opened from
      client.close();
      String moved = err instanceof SubscribeRefused && err.getMessage().startsWith("MOVED ")
          ? err.getMessage().split(" ")[2] : null;
      return moved != null && redirects > 0
          ? subscribe(standalone(redirect(moved)), channel, messages, lost, redirects - 1)
          : Future.failedFuture(err);
    });
  }

  /**
   * Sentinel may name a master that has just been demoted (its answer is cached for a second), and a
   * replica takes SUBSCRIBE and reads without complaint: ask the server itself.
   */
  private Future<RedisConnection> masterOnly(RedisConnection conn) {
    if (config.mode() != BrokerConfig.Mode.SENTINEL) {
      return Future.succeededFuture(conn);
    }
    return conn.send(Request.cmd(Command.ROLE)).compose(role -> "master".equals(role.get(0).toString())
        ? Future.succeededFuture(conn)
        : conn.close().transform(v -> Future.failedFuture("Sentinel named a server that is not the master (yet)")));
  }

  /** The same scheme and credentials as the configured endpoints, at the host:port a MOVED named. */
  private String redirect(String hostPort) {
    URI first = URI.create(config.endpoints().get(0));
    return first.getScheme() + "://" + (first.getRawUserInfo() == null ? "" : first.getRawUserInfo() + "@") + hostPort;
  }

  /** A client for a subscription at one cluster node. */
  private Redis standalone(String endpoint) {
    return Redis.createClient(vertx, subscription(base().setType(RedisClientType.STANDALONE).setConnectionString(endpoint)));
  }

  /** One connection; each subscription's client in the metrics under one name, not a new random one. */
  private static RedisOptions subscription(RedisOptions options) {
    return options.setMaxPoolSize(1).setPoolName("redis-subscription");
  }

  private RedisOptions options(BrokerConfig.Mode mode) {
    return switch (mode) {
      case STANDALONE -> base().setType(RedisClientType.STANDALONE).setConnectionString(config.uri());
      case SENTINEL -> base().setType(RedisClientType.SENTINEL).setEndpoints(config.endpoints())
          .setMasterName(config.masterName()).setRole(RedisRole.MASTER);
      case CLUSTER -> base().setType(RedisClientType.CLUSTER).setEndpoints(config.endpoints())
          .setUseReplicas(RedisReplicas.NEVER);
    };
  }

  private static RedisOptions base() {
    return new RedisOptions()
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setTcpNoDelay(true));
  }

  Future<Void> close() {
    return commands.close();
  }

  /** Redis refused a subscription (an error reply instead of the confirmation). */
  private static final class SubscribeRefused extends RuntimeException {
    SubscribeRefused(String message) {
      super(message, null, false, false);
    }
  }
}
