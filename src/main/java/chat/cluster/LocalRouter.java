package chat.cluster;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.store.OfflineStore;
import chat.store.UnknownUserException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Routing on one node: the recipient's session consumes its event-bus address and replies once
 * the message is written to its socket. No reply (nobody there, session gone, slow consumer) means
 * the message goes to the offline store; after storing, a still-online recipient is asked to drain
 * its queue, which closes the race with a login that read the queue a moment earlier.
 */
public final class LocalRouter implements Router {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRouter.class);
  static final long REPLY_TIMEOUT_MILLIS = 10_000;

  private final EventBus bus;
  private final OfflineStore offline;
  private final Presence presence;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MILLIS);

  public LocalRouter(Vertx vertx, OfflineStore offline, Presence presence) {
    this.bus = vertx.eventBus();
    this.offline = offline;
    this.presence = presence;
  }

  @Override
  public Future<Status> deliver(long userId, Outbound message) {
    return bus.request(Addresses.user(userId), message.line(), options)
        .map(reply -> Status.DELIVERED)
        .recover(notDelivered -> offline.save(userId, message.json())
            .transform(stored -> afterStore(stored.failed() ? stored.cause() : null, List.of(userId)))
            .map(Status.STORED));
  }

  @Override
  public Future<FanOut> deliverAll(List<Long> userIds, Outbound message) {
    List<Future<Status>> live = new ArrayList<>(userIds.size());
    for (long id : userIds) {
      live.add(bus.request(Addresses.user(id), message.line(), options).map(Status.DELIVERED));
    }
    return Future.join(live).transform(done -> {
      List<Long> missed = new ArrayList<>();
      for (int i = 0; i < live.size(); i++) {
        if (live.get(i).failed()) {
          missed.add(userIds.get(i));
        }
      }
      FanOut result = new FanOut(userIds.size() - missed.size(), missed.size());
      if (missed.isEmpty()) {
        return Future.succeededFuture(result);
      }
      return offline.saveAll(missed, message.json())
          .transform(stored -> afterStore(stored.failed() ? stored.cause() : null, missed))
          .map(result);
    });
  }

  private Future<Void> afterStore(Throwable failure, List<Long> userIds) {
    if (failure instanceof UnknownUserException) {
      return Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, failure.getMessage()));
    }
    if (failure != null) {
      LOG.warn("could neither deliver nor store a message for {}: {}", userIds, failure.toString());
      return Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "storage unavailable, message not sent: retry"));
    }
    presence.online(userIds).onSuccess(online -> online.forEach(id ->
        bus.send(Addresses.user(id), null, new DeliveryOptions().addHeader(Addresses.DRAIN_HEADER, "1"))));
    return Future.succeededFuture();
  }
}
