package chat.cluster;

import chat.loop.Loop;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node's command connection to Redis: ONE connection, pipelined, shared by every event loop
 * (a pooled client holds a connection per command for a whole round trip, which caps a node at
 * pool size / RTT commands a second). Replies come back on the caller's own context; every command
 * has a deadline. A broken connection to one server (standalone, or the master Sentinel names) is
 * dropped and the next command opens a new one; so is one that lets a command miss its deadline. A
 * Redis Cluster connection that lost one shard keeps serving the others (and finds a promoted
 * replica through the slot map) while a fresh one is opened beside it, which takes over once every
 * shard answers. After any reconnection the node re-claims its users ({@link #whenReconnected}):
 * Redis may have lost them in the switch.
 */
final class RedisLink {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private static final long TIMEOUT_MILLIS = 2000;
  private static final long MAX_BACKOFF_MILLIS = 1000;

  private final Vertx vertx;
  private final RedisServers servers;
  private Runnable reconnected = () -> { };
  private Runnable onLost = () -> { };
  private Future<RedisConnection> connection;
  private boolean everConnected;
  private boolean replacing;
  private boolean closed;

  RedisLink(Vertx vertx, RedisServers servers) {
    this.vertx = vertx;
    this.servers = servers;
  }

  /** Runs after every connection but the first: what Redis held may have been lost meanwhile. */
  void whenReconnected(Runnable action) {
    reconnected = action;
  }

  /** Runs when the connection (in a Redis Cluster: one shard's) breaks: what was in flight there is gone. */
  void whenLost(Runnable action) {
    onLost = action;
  }

  Future<Response> send(Request request) {
    Future<RedisConnection> used = connection();
    return finish(used, used.compose(c -> c.send(request)));
  }

  /**
   * Several commands in one write. A Redis Cluster takes a batch only when all its keys are on one
   * shard, so there each command goes alone (pipelined all the same, on that shard's connection).
   */
  Future<List<Response>> batch(List<Request> requests) {
    Future<RedisConnection> used = connection();
    Future<List<Response>> replies = used.compose(c -> {
      if (!servers.cluster()) {
        return c.batch(requests);
      }
      List<Future<Response>> each = new ArrayList<>(requests.size());
      requests.forEach(r -> each.add(c.send(r)));
      return Future.all(each).map(all -> all.<Response>list());
    });
    return finish(used, replies);
  }

  /** PUBLISH, or in a Redis Cluster sharded SPUBLISH (to the shard of the channel): how many subscribers got it. */
  Future<Response> publish(String channel, String message) {
    return send(Request.cmd(servers.cluster() ? Command.SPUBLISH : Command.PUBLISH).arg(channel).arg(message));
  }

  private synchronized Future<RedisConnection> connection() {
    if (connection == null || connection.failed()) {
      Future<RedisConnection> opening = servers.connect();
      connection = opening;
      opening.onComplete(ar -> opened(opening, ar));
    }
    return connection;
  }

  private void opened(Future<RedisConnection> opening, AsyncResult<RedisConnection> ar) {
    if (ar.failed()) {
      return;
    }
    RedisConnection c = ar.result();
    c.exceptionHandler(err -> lost(opening));
    c.endHandler(v -> lost(opening));
    boolean again;
    synchronized (this) {
      if (connection != opening) {
        // given up on (it took too long) or closed meanwhile
        c.close();
        return;
      }
      again = everConnected;
      everConnected = true;
    }
    if (again) {
      LOG.info("Redis connection open again");
      reconnected.run();
    }
  }

  /** The result with its deadline, on the caller's context; a sign that the connection is stale drops it. */
  private <T> Future<T> finish(Future<RedisConnection> used, Future<T> result) {
    return Loop.back(result.timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .andThen(done -> dropIfStale(used, done)));
  }

  /**
   * A server that says it is a replica now (Sentinel moved the master while we were connected), a
   * connection found closed before its end was reported, or no answer in time (a server cut off
   * without closing its connections, which would otherwise hang until TCP gives up): connect afresh.
   */
  private void dropIfStale(Future<RedisConnection> used, AsyncResult<?> done) {
    if (done.succeeded()) {
      return;
    }
    String message = String.valueOf(done.cause().getMessage());
    if (message.startsWith("READONLY") || message.equals("Connection is closed")
        || done.cause() instanceof TimeoutException) {
      lost(used);
    }
  }

  private void lost(Future<RedisConnection> broken) {
    synchronized (this) {
      if (connection != broken || closed || replacing) {
        return;
      }
      if (servers.cluster()) {
        replacing = true;
        replace(100);
      } else {
        connection = null;
        // back to the pool if it still works (a replica now, or slow), else gone already
        broken.onSuccess(RedisConnection::close);
      }
    }
    onLost.run();
  }

  private void replace(long backoff) {
    Future<RedisConnection> fresh = servers.connect();
    fresh.onComplete(ar -> {
      if (ar.failed()) {
        if (!isClosed()) {
          vertx.setTimer(backoff, t -> replace(Math.min(backoff * 2, MAX_BACKOFF_MILLIS)));
        }
        return;
      }
      Future<RedisConnection> retired = swap(fresh);
      retired.onSuccess(RedisConnection::close);
      if (retired != fresh) {
        opened(fresh, ar);
      }
    });
  }

  /** Puts a fresh connection in the place of the current one; returns the one to close (the fresh one once closed). */
  private synchronized Future<RedisConnection> swap(Future<RedisConnection> fresh) {
    replacing = false;
    if (closed) {
      return fresh;
    }
    Future<RedisConnection> old = connection;
    connection = fresh;
    return old;
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  synchronized Future<Void> close() {
    closed = true;
    Future<RedisConnection> c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.compose(RedisConnection::close).otherwiseEmpty();
  }

}
