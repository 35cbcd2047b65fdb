package chat.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns this node's subscribing connection to its channel and relays what arrives onto the local
 * event bus: deliveries to the recipients' addresses (then answers the sender with who missed it),
 * answers to the waiting senders, drain notices to the sessions. Reconnects with backoff and, once
 * subscribed again, has every local session drain what was stored while Redis was away.
 */
final class RedisSubscriber extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);
  private static final long MAX_BACKOFF_MILLIS = 5000;

  private final Redis subscriberClient;
  private final RedisLink publisher;
  private final String channel;
  private final PendingReplies replies;
  private final Runnable resubscribed;
  private final DeliveryOptions toSession = new DeliveryOptions().setSendTimeout(DeliveryRouter.LOCAL_REPLY_TIMEOUT_MILLIS);
  private final DeliveryOptions drain = Addresses.signal(Addresses.DRAIN_HEADER);
  private EventBus bus;
  private RedisConnection connection;
  private long backoff = 100;
  private boolean everSubscribed;
  private boolean stopped;

  RedisSubscriber(Redis subscriberClient, RedisLink publisher, String incarnation, PendingReplies replies,
                  Runnable resubscribed) {
    this.subscriberClient = subscriberClient;
    this.publisher = publisher;
    this.channel = Addresses.nodeChannel(incarnation);
    this.replies = replies;
    this.resubscribed = resubscribed;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    // a node whose Redis is down still starts and serves its local users; it keeps trying
    return subscribe().otherwise(err -> {
      retryLater(err);
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private Future<Void> subscribe() {
    return subscriberClient.connect().compose(conn -> {
      connection = conn;
      conn.handler(this::onPush);
      conn.exceptionHandler(this::lost);
      conn.endHandler(v -> lost(new IllegalStateException("connection closed")));
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
    }).map(ok -> {
      backoff = 100;
      LOG.info("subscribed to {}", channel);
      if (everSubscribed) {
        resubscribed.run();
      }
      everSubscribed = true;
      return null;
    });
  }

  private void lost(Throwable err) {
    if (connection != null) {
      connection = null;
      retryLater(err);
    }
  }

  private void retryLater(Throwable err) {
    if (stopped) {
      return;
    }
    LOG.warn("redis subscription down ({}), retrying in {} ms", err.getMessage(), backoff);
    vertx.setTimer(backoff, t -> {
      if (!stopped && connection == null) {
        subscribe().onFailure(this::retryLater);
      }
    });
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
  }

  private void onPush(Response push) {
    if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
      return;
    }
    Envelope envelope;
    try {
      envelope = Envelope.parse(push.get(2).toString());
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed message on {}: {}", channel, e.getMessage());
      return;
    }
    switch (envelope.kind()) {
      case Envelope.DELIVERY -> deliver(envelope);
      case Envelope.REPLY -> replies.complete(envelope.deliveryId(), envelope.userIds());
      default -> envelope.userIds().forEach(id -> bus.send(Addresses.user(id), null, drain));
    }
  }

  private void deliver(Envelope envelope) {
    List<Long> ids = envelope.userIds();
    List<Future<Object>> acks = new ArrayList<>(ids.size());
    for (long id : ids) {
      Buffer line = envelope.line();
      acks.add(bus.request(Addresses.user(id), line, toSession).map(r -> null));
    }
    Future.join(acks).onComplete(done -> {
      List<Long> missed = new ArrayList<>();
      for (int i = 0; i < acks.size(); i++) {
        if (acks.get(i).failed()) {
          missed.add(ids.get(i));
        }
      }
      // if this answer is lost, the sender's timeout stores the message: at-least-once
      publisher.send(Request.cmd(Command.PUBLISH).arg(Addresses.nodeChannel(envelope.replyTo()))
          .arg(Envelope.reply(envelope.deliveryId(), missed)));
    });
  }
}
