package chat.loop;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * The one way onto an event loop. Each connection, session and verticle keeps its state on its own
 * context; work addressed to a context {@link #run}s there, work whose result is wanted back is
 * {@link #call}ed, and a result that finishes elsewhere (another session's loop, the Redis
 * connection, a store worker) comes {@link #back} to whoever waits for it. Every interface whose
 * futures "complete on the caller's context" relies on this class, so a continuation never runs on
 * a loop that does not own its state.
 */
public final class Loop {
  private Loop() {
  }

  /**
   * {@code result}, completed on the context of whoever calls this (as is, off any context), in
   * the order results came back: a result that completes on the caller's own loop goes on at once;
   * any other is queued on it, also one that already completed on another loop before this call.
   * (Taking that one at once would let it overtake earlier results still queued: that reordered
   * CHAT_ACKs.)
   */
  public static <T> Future<T> back(Future<T> result) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    boolean[] attaching = {true};
    result.onComplete(ar -> {
      if (!attaching[0] && Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    attaching[0] = false;
    return promise.future();
  }

  /**
   * Runs {@code work} on {@code target} and completes on the caller's context: no hop at all when
   * the two are one, else a hop there and one back.
   */
  public static <T> Future<T> call(Context target, Supplier<Future<T>> work) {
    if (Vertx.currentContext() == target) {
      return work.get();
    }
    Promise<T> promise = Promise.promise();
    target.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return back(promise.future());
  }

  /**
   * Runs {@code work} on {@code target}: at once when already there, else queued behind what that
   * loop has to do. Work run from one context keeps its order.
   */
  public static void run(Context target, Runnable work) {
    if (Vertx.currentContext() == target) {
      work.run();
    } else {
      target.runOnContext(v -> work.run());
    }
  }
}
