package chat.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Hands a result back to the event loop that asked for it: work done on another loop (a
 * recipient's session, the Redis connection) must not run the caller's continuation there.
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
}
