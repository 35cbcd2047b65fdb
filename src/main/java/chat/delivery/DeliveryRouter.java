package chat.delivery;

import chat.cluster.RemoteNodes;
import chat.context.CallerContext;
import chat.ops.ChatMetrics;
import chat.store.OfflineStore;
import io.vertx.core.Future;

import java.util.List;

/**
 * Delivers in three steps, each taking what the one before could not: the recipient's session on
 * this node (through its one entrance), then other nodes, then the offline store. After storing,
 * the recipients' sessions, wherever they are, are asked to drain: that closes the race with a
 * login that read the queue a moment earlier.
 */
public final class DeliveryRouter implements Router {
  private static final Future<Void> ACCEPTED = Future.succeededFuture();
  private static final String LOCAL = "local";
  private static final String REMOTE = "remote";
  private static final String STORED = "stored";

  private final LocalSessions sessions;
  private final OfflineStore offline;
  private final RemoteNodes remote;
  private final ChatMetrics metrics;

  public DeliveryRouter(LocalSessions sessions, OfflineStore offline, RemoteNodes remote, ChatMetrics metrics) {
    this.sessions = sessions;
    this.offline = offline;
    this.remote = remote;
    this.metrics = metrics;
  }

  @Override
  public Delivery deliver(long userId, Outbound message) {
    long start = System.nanoTime();
    Recipient session = sessions.get(userId);
    if (session == null) {
      return elsewhere(userId, message, start);
    }
    // the message enters the session's queue now, in order; one it does not take goes on below
    Future<Status> outcome = session.deliver(message).compose(written -> {
      if (written) {
        metrics.delivered(LOCAL, 1, start);
        return Future.succeededFuture(Status.DELIVERED);
      }
      return elsewhere(userId, message, start).outcome();
    });
    return new Delivery(ACCEPTED, outcome);
  }

  /** On another node, or stored: the sender waits only until the publish is out, or the row is written. */
  private Delivery elsewhere(long userId, Outbound message, long start) {
    RemoteNodes.Sent sent = remote.send(List.of(userId), message.json());
    Future<Status> outcome = sent.missed().compose(missed -> {
      if (missed.isEmpty()) {
        metrics.delivered(REMOTE, 1, start);
        return Future.succeededFuture(Status.DELIVERED);
      }
      return store(missed, message, start).map(Status.STORED);
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
    return sessions.deliver(userIds, message)
        .compose(notHere -> {
          record(LOCAL, userIds.size() - notHere.size(), start);
          return notHere.isEmpty()
              ? Future.succeededFuture(notHere)
              : remote.send(notHere, message.json()).missed()
                  .onSuccess(missed -> record(REMOTE, notHere.size() - missed.size(), start));
        })
        .compose(missed -> {
          FanOut result = new FanOut(userIds.size() - missed.size(), missed.size());
          return missed.isEmpty() ? Future.succeededFuture(result) : store(missed, message, start).map(result);
        });
  }

  private void record(String route, int recipients, long start) {
    if (recipients > 0) {
      metrics.delivered(route, recipients, start);
    }
  }

  /** Stores the message for these users, then asks their sessions, here or elsewhere, to drain. */
  private Future<Void> store(List<Long> userIds, Outbound message, long start) {
    Future<Void> saved = userIds.size() == 1
        ? offline.save(userIds.get(0), message.json())
        : offline.saveAll(userIds, message.json());
    // the store may answer on a thread of its own: back to the caller first
    return CallerContext.onCaller(saved).onSuccess(v -> {
      metrics.delivered(STORED, userIds.size(), start);
      userIds.forEach(sessions::drain);
      remote.drain(userIds);
    });
  }
}
