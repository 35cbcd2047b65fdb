package chat.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's subscribing connection to its channel and hands what arrives to the local
 * sessions: pushes (then answers the sender with who missed them) and answers to the waiting
 * senders. Reconnects with backoff and, once subscribed again, has every local session catch up
 * with what it missed while Redis was away.
 */
final class RedisSubscriber extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);
  private static final long MAX_BACKOFF_MILLIS = 5000;

  private final Redis subscriberClient;
  private final RedisLink publisher;
  private final String channel;
  private final PendingReplies replies;
  private final LocalRecipients recipients;
  private final RedisKeys keys;
  private final Runnable resubscribed;
  private RedisConnection connection;
  private long backoff = 100;
  private boolean everSubscribed;
  private boolean stopped;

  RedisSubscriber(Redis subscriberClient, RedisLink publisher, RedisKeys keys, String incarnation,
                  PendingReplies replies, LocalRecipients recipients, Runnable resubscribed) {
    this.subscriberClient = subscriberClient;
    this.publisher = publisher;
    this.keys = keys;
    this.channel = keys.nodeChannel(incarnation);
    this.replies = replies;
    this.recipients = recipients;
    this.resubscribed = resubscribed;
  }

  @Override
  public Future<?> start() {
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
      case Envelope.MESSAGE -> recipients.deliver(envelope.userIds(), envelope.message())
          // if this answer is lost, the sender's timeout stores the message: at-least-once
          .onSuccess(missed -> publisher.send(Request.cmd(Command.PUBLISH).arg(keys.nodeChannel(envelope.replyTo()))
              .arg(Envelope.reply(envelope.deliveryId(), missed))));
      default -> replies.complete(envelope.deliveryId(), envelope.userIds());
    }
  }
}
