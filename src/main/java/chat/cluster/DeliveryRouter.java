package chat.cluster;

import chat.ops.ChatMetrics;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.store.OfflineStore;
import chat.store.UnknownUserException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.VertxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers in three steps, each taking what the one before could not: sessions on this node (their
 * event-bus address, acknowledged once the message is on the socket), then other nodes, then the
 * offline store. After storing, recipients who are online after all are asked to drain their
 * queue, which closes the race with a login that read the queue a moment earlier.
 */
public final class DeliveryRouter implements Router {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryRouter.class);
  static final long LOCAL_REPLY_TIMEOUT_MILLIS = 10_000;
  private static final Future<Void> ACCEPTED = Future.succeededFuture();
  private static final Future<Void> NOT_HERE = Future.failedFuture(new VertxException("not on this node", true));
  private static final String LOCAL = "local";
  private static final String REMOTE = "remote";
  private static final String STORED = "stored";

  private final EventBus bus;
  private final OfflineStore offline;
  private final RemoteNodes remote;
  private final ChatMetrics metrics;
  private final LocalSessions sessions;

  public DeliveryRouter(Vertx vertx, LocalSessions sessions, OfflineStore offline, RemoteNodes remote,
                        ChatMetrics metrics) {
    this.sessions = sessions;
    this.bus = vertx.eventBus();
    this.offline = offline;
    this.remote = remote;
    this.metrics = metrics;
  }

  @Override
  public Delivery deliver(long userId, Outbound message) {
    long start = System.nanoTime();
    LocalSessions.Target session = sessions.get(userId);
    if (session != null) {
      // the write is queued on the recipient's event loop in order; a failed one falls back below
      Future<Status> outcome = session.deliver(message.line())
          .map(written -> {
            metrics.delivered(LOCAL, 1, start);
            return Status.DELIVERED;
          })
          .recover(gone -> elsewhere(userId, message, start).outcome());
      return new Delivery(ACCEPTED, outcome);
    }
    return elsewhere(userId, message, start);
  }

  /** On another node, or stored: the sender waits only until the publish is out, or the row is written. */
  private Delivery elsewhere(long userId, Outbound message, long start) {
    RemoteNodes.Sent sent = remote.send(List.of(userId), message);
    Future<Status> outcome = sent.missed().compose(missed -> {
      if (missed.isEmpty()) {
        metrics.delivered(REMOTE, 1, start);
        return Future.succeededFuture(Status.DELIVERED);
      }
      return offline.save(userId, message.json())
          .transform(stored -> afterStore(stored.cause(), missed, start))
          .map(Status.STORED);
    });
    Future<Void> accepted = sent.published().compose(v -> {
      boolean storing = sent.missed().isComplete() && !sent.missed().result().isEmpty();
      return storing ? outcome.<Void>mapEmpty().otherwiseEmpty() : ACCEPTED;
    });
    return new Delivery(accepted, outcome);
  }

  @Override
  public Future<FanOut> deliverAll(List<Long> userIds, Outbound message) {
    long start = System.nanoTime();
    return deliverLocally(userIds, message)
        .compose(notHere -> {
          record(LOCAL, userIds.size() - notHere.size(), start);
          return notHere.isEmpty()
              ? Future.succeededFuture(notHere)
              : remote.send(notHere, message).missed()
                  .onSuccess(missed -> record(REMOTE, notHere.size() - missed.size(), start));
        })
        .compose(missed -> {
          FanOut result = new FanOut(userIds.size() - missed.size(), missed.size());
          if (missed.isEmpty()) {
            return Future.succeededFuture(result);
          }
          return offline.saveAll(missed, message.json())
              .transform(stored -> afterStore(stored.cause(), missed, start))
              .map(result);
        });
  }

  private void record(String route, int recipients, long start) {
    if (recipients > 0) {
      metrics.delivered(route, recipients, start);
    }
  }

  /** The users of the list who are not (or no longer) on this node. */
  private Future<List<Long>> deliverLocally(List<Long> userIds, Outbound message) {
    List<Future<Void>> live = new ArrayList<>(userIds.size());
    for (long id : userIds) {
      LocalSessions.Target session = sessions.get(id);
      live.add(session == null ? NOT_HERE : session.deliver(message.line()));
    }
    return Future.join(live).transform(done -> {
      List<Long> missed = new ArrayList<>();
      for (int i = 0; i < live.size(); i++) {
        if (live.get(i).failed()) {
          missed.add(userIds.get(i));
        }
      }
      return Future.succeededFuture(missed);
    });
  }

  private Future<Void> afterStore(Throwable failure, List<Long> userIds, long start) {
    if (failure instanceof UnknownUserException) {
      return Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, failure.getMessage()));
    }
    if (failure != null) {
      LOG.warn("could neither deliver nor store a message for {}: {}", userIds, failure.toString());
      return Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "storage unavailable, message not sent: retry"));
    }
    metrics.delivered(STORED, userIds.size(), start);
    DeliveryOptions drain = Addresses.signal(Addresses.DRAIN_HEADER);
    for (long id : userIds) {
      bus.send(Addresses.user(id), null, drain);
    }
    remote.notifyStored(userIds);
    return Future.succeededFuture();
  }
}
