package chat.cluster;

import chat.loop.Loop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliveries published to other nodes that wait for the answer saying who did not get them. An
 * answer that does not come in time counts as "nobody got it", so the sender stores the message:
 * at-least-once, never lost.
 */
final class PendingReplies {
  private record Pending(Promise<List<Long>> promise, long timer, List<Long> userIds) {
  }

  private final Vertx vertx;
  private final String prefix;
  private final long timeoutMillis;
  private final AtomicLong counter = new AtomicLong();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  PendingReplies(Vertx vertx, String prefix, long timeoutMillis) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.timeoutMillis = timeoutMillis;
  }

  String newId() {
    return prefix + "." + counter.incrementAndGet();
  }

  /**
   * The missed users of delivery {@code id}, on the caller's context; all of {@code userIds} if no
   * answer comes in time.
   */
  Future<List<Long>> expect(String id, List<Long> userIds) {
    Promise<List<Long>> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> complete(id, userIds));
    pending.put(id, new Pending(promise, timer, userIds));
    return Loop.back(promise.future());
  }

  /**
   * A connection to Redis broke (this node's subscription, or its command connection): answers
   * published to us now reach nobody, and deliveries Redis took just before may never be answered.
   * Every delivery still waiting counts as missed by all its users at once (the messages stay owed
   * in their logs; one that did arrive is not shown twice) rather than after the timeout, which would
   * hold up each sender's next requests.
   */
  void abandonAll() {
    pending.forEach((id, p) -> complete(id, p.userIds()));
  }

  /** Called from the subscriber's loop (or the timer). */
  void complete(String id, List<Long> missed) {
    Pending p = pending.remove(id);
    if (p != null) {
      vertx.cancelTimer(p.timer());
      p.promise().tryComplete(missed);
    }
  }
}
