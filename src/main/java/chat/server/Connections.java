package chat.server;

import chat.config.ChatConfig;
import chat.config.Limits;
import chat.ops.ChatMetrics;
import chat.service.Dispatcher;
import chat.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections one server verticle accepted, whatever they run over, kept on its loop: one sweep
 * closes those past a time limit, and a stop closes them all after the requests they already read.
 */
final class Connections {
  /** Makes the connection set of a verticle, on its Vert.x (the node wires the rest once). */
  interface Factory {
    Connections on(Vertx vertx);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final Vertx vertx;
  private final ChatConfig config;
  private final Dispatcher dispatcher;
  private final ChatMetrics metrics;
  private final Session.Shared shared;
  private final Set<Connection> open = new HashSet<>();
  private long sweep = -1;

  Connections(Vertx vertx, ChatConfig config, Dispatcher dispatcher, ChatMetrics metrics, Session.Shared shared) {
    this.vertx = vertx;
    this.config = config;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.shared = shared;
  }

  /**
   * Starts the sweep: one per verticle instead of Vert.x's idle timeouts, which give every
   * connection a handler and a timer of its own (docs/PERFORMANCE.md); a connection past one of its
   * time limits is closed within a tenth of the shortest limit more.
   */
  void start() {
    Limits limits = config.limits();
    long shortest = Math.min(limits.idleSeconds(), Math.min(limits.frameSeconds(), limits.slowReaderSeconds()));
    sweep = vertx.setPeriodic(Math.max(100, TimeUnit.SECONDS.toMillis(shortest) / 10), id -> closeOverdue());
  }

  /** A connection over this transport, unique across the cluster by its id. */
  Connection open(Transport transport) {
    Connection connection = new Connection(config.nodeId() + "-" + IDS.incrementAndGet(), vertx, transport, dispatcher,
        config.limits(), metrics, shared);
    open.add(connection);
    // a two-argument listener is kept as is; a Handler<AsyncResult> would be wrapped in one more object
    connection.finished().onComplete((v, err) -> open.remove(connection));
    return connection;
  }

  private void closeOverdue() {
    long now = System.nanoTime();
    // collected first: a close can take the connection out of the set at once
    for (Connection c : List.copyOf(open)) {
      String reason = c.overdue(now);
      if (reason != null) {
        LOG.debug("closing connection {}: {}", c.id(), reason);
        c.abort();
      }
    }
  }

  /** Closes every connection after the requests it already read; completes once each logged its user out. */
  Future<Void> closeAll() {
    vertx.cancelTimer(sweep);
    List<Future<Void>> done = new ArrayList<>();
    for (Connection c : new ArrayList<>(open)) {
      done.add(c.finished());
      c.close();
    }
    return Future.join(done).mapEmpty();
  }
}
