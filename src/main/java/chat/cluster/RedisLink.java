package chat.cluster;

import chat.loop.Loop;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This node's command connection to Redis: ONE connection, pipelined, shared by every event loop
 * (a pooled client holds a connection per command for a whole round trip, which caps a node at
 * pool size / RTT commands a second). Replies come back on the caller's own context. A broken
 * connection is dropped and the next command opens a new one; every command has a deadline.
 */
final class RedisLink {
  private static final long TIMEOUT_MILLIS = 2000;

  private final Redis client;
  private Future<RedisConnection> connection;

  RedisLink(Redis client) {
    this.client = client;
  }

  Future<Response> send(Request request) {
    return onCallerContext(connection().compose(c -> c.send(request)));
  }

  Future<List<Response>> batch(List<Request> requests) {
    return onCallerContext(connection().compose(c -> c.batch(requests)));
  }

  private synchronized Future<RedisConnection> connection() {
    if (connection == null || connection.failed()) {
      Future<RedisConnection> opening = client.connect();
      connection = opening;
      opening.onSuccess(c -> {
        c.exceptionHandler(err -> drop(opening));
        c.endHandler(v -> drop(opening));
      });
    }
    return connection;
  }

  private synchronized void drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
    }
  }

  synchronized Future<Void> close() {
    Future<RedisConnection> c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.compose(RedisConnection::close).otherwiseEmpty();
  }

  private static <T> Future<T> onCallerContext(Future<T> result) {
    return Loop.back(result.timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
  }
}
