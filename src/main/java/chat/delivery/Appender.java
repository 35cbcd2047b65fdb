package chat.delivery;

import chat.context.CallerContext;
import chat.store.LogStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit: the messages of every connection of the node go to the log in batches, one
 * transaction at a time. While one commits, the next batch fills up, so a busy node commits many
 * messages per transaction and an idle one commits each at once. Batches are taken in the order the
 * messages came, so a sender's messages to one conversation get their numbers in the order sent.
 * Runs on its own context; results come back on each caller's.
 */
public final class Appender {
  /** Messages per transaction at most (a few MB of statement even for long texts). */
  static final int MAX_BATCH = 256;

  private record Pending(LogStore.Append append, Promise<LogStore.Appended> appended) {
  }

  private final LogStore log;
  private final Context context;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private boolean committing;

  public Appender(LogStore log, Context context) {
    this.log = log;
    this.context = context;
  }

  /**
   * Appends the message with the next batch. Its place among this node's messages is taken now,
   * so a later call cannot overtake it; the result (or the store's failure) comes after the commit.
   */
  public Future<LogStore.Appended> append(LogStore.Append append) {
    Promise<LogStore.Appended> appended = Promise.promise();
    queue.add(new Pending(append, appended));
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> commitNext());
    }
    return CallerContext.onCaller(appended.future());
  }

  private void commitNext() {
    scheduled.set(false);
    if (committing) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    committing = true;
    List<LogStore.Append> appends = new ArrayList<>(batch.size());
    batch.forEach(p -> appends.add(p.append()));
    CallerContext.onCaller(log.append(appends)).onComplete(done -> {
      for (int i = 0; i < batch.size(); i++) {
        if (done.succeeded()) {
          batch.get(i).appended().complete(done.result().get(i));
        } else {
          batch.get(i).appended().fail(done.cause());
        }
      }
      committing = false;
      if (!queue.isEmpty()) {
        commitNext();
      }
    });
  }
}
