package chat.context;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Event-loop affinity, in one place. Each connection, session and verticle keeps its state on its
 * own context; work that finishes elsewhere (another session's loop, the Redis connection, a store
 * worker) hands its result back with {@link #returnTo}, and work addressed to a context enters it
 * with {@link #enter}. Every interface whose futures "complete on the caller's context" relies on
 * this class, so a continuation never runs on a loop that does not own its state.
 */
public final class CallerContext {
  private CallerContext() {
  }

  /** {@code result}, completed on {@code caller} (as is, when there is no caller context). */
  public static <T> Future<T> returnTo(Context caller, Future<T> result) {
    if (caller == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  /** {@code result}, completed on the context of whoever calls this. */
  public static <T> Future<T> onCaller(Future<T> result) {
    return returnTo(Vertx.currentContext(), result);
  }

  /**
   * Runs {@code work} on {@code target} and completes on the caller's context: no hop at all when
   * the two are one, else a hop there and one back.
   */
  public static <T> Future<T> call(Context target, Supplier<Future<T>> work) {
    Context caller = Vertx.currentContext();
    if (caller == target) {
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
    return returnTo(caller, promise.future());
  }

  /**
   * Runs {@code work} on {@code target}: at once when already there, else queued behind what that
   * loop has to do. Work entered from one context keeps its order.
   */
  public static void enter(Context target, Runnable work) {
    if (Vertx.currentContext() == target) {
      work.run();
    } else {
      target.runOnContext(v -> work.run());
    }
  }
}
