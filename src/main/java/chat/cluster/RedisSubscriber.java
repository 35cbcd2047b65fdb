package chat.cluster;

import chat.loop.Loop;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's subscribing connection to its channel and hands what arrives to the local
 * sessions: pushes (then answers the sender with who missed them) and answers to the waiting
 * senders. Reconnects with backoff (to wherever the channel lives now: a new master after a
 * failover, another shard's master in a Redis Cluster) and, once subscribed again, has every local
 * session catch up with what it missed while it was not subscribed. Every second it publishes a probe
 * to its own channel: nobody receiving it where Redis publishes means this subscription is on a
 * server that is not the master any more (cut off, or demoted without closing its connections), so
 * it subscribes again.
 */
final class RedisSubscriber extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);
  /** A failover takes seconds: trying once a second at most costs little and finds the new master soon. */
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final long PROBE_EVERY_MILLIS = 1000;

  private final RedisServers servers;
  private final RedisLink publisher;
  private final String channel;
  private final PendingReplies replies;
  private final LocalRecipients recipients;
  private final RedisKeys keys;
  private final Runnable resubscribed;
  private RedisServers.Subscription subscription;
  private long backoff = 100;
  private long probes = -1;
  private boolean everSubscribed;
  private boolean stopped;

  RedisSubscriber(RedisServers servers, RedisLink publisher, RedisKeys keys, String incarnation,
                  PendingReplies replies, LocalRecipients recipients, Runnable resubscribed) {
    this.servers = servers;
    this.publisher = publisher;
    this.keys = keys;
    this.channel = keys.nodeChannel(incarnation);
    this.replies = replies;
    this.recipients = recipients;
    this.resubscribed = resubscribed;
  }

  @Override
  public Future<?> start() {
    probes = vertx.setPeriodic(PROBE_EVERY_MILLIS, t -> probe());
    // a node whose Redis is down still starts and serves its local users; it keeps trying
    return subscribe().otherwise(err -> {
      retryLater(err);
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(probes);
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }

  private Future<Void> subscribe() {
    // the connection may report on another context than this verticle's, which owns this state
    Future<RedisServers.Subscription> subscribing = servers.subscribe(channel,
        text -> Loop.run(context, () -> onMessage(text)),
        err -> Loop.run(context, () -> lost(err)));
    return Loop.back(subscribing).map(subscribed -> {
      if (stopped) {
        subscribed.close();
        return null;
      }
      subscription = subscribed;
      backoff = 100;
      LOG.info("subscribed to {}", channel);
      if (everSubscribed) {
        resubscribed.run();
      }
      everSubscribed = true;
      return null;
    });
  }

  private void probe() {
    RedisServers.Subscription probed = subscription;
    if (probed == null) {
      return;
    }
    // a failed publish says nothing about the subscription (the command connection mends itself)
    publisher.publish(channel, Envelope.probe()).onSuccess(receivers -> {
      if (receivers.toInteger() == 0 && subscription == probed) {
        lost(new IllegalStateException("not subscribed where Redis publishes"));
      }
    });
  }

  private void lost(Throwable err) {
    if (subscription != null) {
      subscription.close();
      subscription = null;
      replies.abandonAll();
      retryLater(err);
    }
  }

  private void retryLater(Throwable err) {
    if (stopped) {
      return;
    }
    LOG.warn("redis subscription down ({}), retrying in {} ms", err.getMessage(), backoff);
    vertx.setTimer(backoff, t -> {
      if (!stopped && subscription == null) {
        subscribe().onFailure(this::retryLater);
      }
    });
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
  }

  private void onMessage(String text) {
    Envelope envelope;
    try {
      envelope = Envelope.parse(text);
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed message on {}: {}", channel, e.getMessage());
      return;
    }
    switch (envelope.kind()) {
      case Envelope.MESSAGE -> recipients.deliver(envelope.userIds(), envelope.message())
          // if this answer is lost, the sender's timeout stores the message: at-least-once
          .onSuccess(missed -> publisher.publish(keys.nodeChannel(envelope.replyTo()),
              Envelope.reply(envelope.deliveryId(), missed)));
      case Envelope.REPLY -> replies.complete(envelope.deliveryId(), envelope.userIds());
      case Envelope.SIGNALS -> envelope.signals().forEach(s -> recipients.deliver(s.userIds(), s.message()));
      default -> {
        // a probe: being here is all it had to show
      }
    }
  }
}
