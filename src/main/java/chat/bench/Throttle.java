package chat.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Runs n asynchronous tasks with at most {@code concurrency} in flight (so that set-up does not
 * overflow the server's accept backlog) and collects every outcome, failures included.
 */
final class Throttle {

  /** Results in task order (null where a task failed), with the failure count and the first failure. */
  record Outcome<T>(List<T> results, int failed, Throwable firstFailure) {
    List<T> succeeded() {
      List<T> out = new ArrayList<>(results.size() - failed);
      for (T t : results) {
        if (t != null) {
          out.add(t);
        }
      }
      return out;
    }
  }

  private Throttle() {
  }

  static <T> Future<Outcome<T>> run(int n, int concurrency, IntFunction<Future<T>> task) {
    if (n == 0) {
      return Future.succeededFuture(new Outcome<>(List.of(), 0, null));
    }
    AtomicReferenceArray<T> results = new AtomicReferenceArray<>(n);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<Throwable> first = new AtomicReference<>();
    Promise<Outcome<T>> all = Promise.promise();
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      Future<T> f;
      try {
        f = task.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) {
          results.set(i, ar.result());
        } else {
          failed.incrementAndGet();
          first.compareAndSet(null, ar.cause());
        }
        if (done.incrementAndGet() == n) {
          List<T> list = new ArrayList<>(n);
          for (int k = 0; k < n; k++) {
            list.add(results.get(k));
          }
          all.complete(new Outcome<>(list, failed.get(), first.get()));
        } else {
          step[0].run();
        }
      });
    };
    for (int k = 0; k < Math.min(concurrency, n); k++) {
      step[0].run();
    }
    return all.future();
  }
}
