package chat.server;

import chat.config.ChatConfig;
import chat.config.Limits;
import chat.delivery.UserSession;
import chat.ops.ChatMetrics;
import chat.security.AddressLimiter;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.service.Dispatcher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One NetServer on one port, on this verticle's event loop; it only builds connections. */
final class ChatServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChatServerVerticle.class);
  private static final AtomicLong SESSIONS = new AtomicLong();

  private final ChatConfig config;
  private final int port;
  private final Dispatcher dispatcher;
  private final AddressLimiter addresses;
  private final ChatMetrics metrics;
  private final UserSession.Shared shared;
  private final Set<Connection> connections = new HashSet<>();
  private NetServer server;

  ChatServerVerticle(ChatConfig config, int port, Dispatcher dispatcher, AddressLimiter addresses,
                     ChatMetrics metrics, UserSession.Shared shared) {
    this.shared = shared;
    this.config = config;
    this.port = port;
    this.dispatcher = dispatcher;
    this.addresses = addresses;
    this.metrics = metrics;
  }

  static NetServerOptions options(ChatConfig config) {
    NetServerOptions options = new NetServerOptions()
        .setTcpNoDelay(true)
        .setUseProxyProtocol(config.proxyProtocol());
    if (config.tls().enabled()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().certPath())
          .setKeyPath(config.tls().keyPath()));
    }
    return options;
  }

  @Override
  public Future<?> start() {
    // one sweep per verticle instead of Vert.x's read-idle timeout, which gives every connection a
    // handler and a timer of its own (docs/PERFORMANCE.md): a connection past one of its time limits
    // is closed within a tenth of the shortest limit more
    Limits limits = config.limits();
    long shortest = Math.min(limits.idleSeconds(), Math.min(limits.frameSeconds(), limits.slowReaderSeconds()));
    vertx.setPeriodic(Math.max(100, TimeUnit.SECONDS.toMillis(shortest) / 10), id -> closeOverdue());
    server = vertx.createNetServer(options(config)).connectHandler(this::accept);
    return server.listen(port, config.host());
  }

  private void accept(NetSocket socket) {
    if (!addresses.connectionAllowed(socket.remoteAddress().hostAddress())) {
      socket.write(Messages.encode(Messages.error(ErrorCode.RATE_LIMITED,
          "too many connections from your address: wait a minute"))).onComplete(v -> socket.close());
      return;
    }
    Connection connection = new Connection(config.nodeId() + "-" + SESSIONS.incrementAndGet(), vertx, socket,
        dispatcher, config.limits(), metrics, shared);
    connections.add(connection);
    // a two-argument listener is kept as is; a Handler<AsyncResult> would be wrapped in one more object
    connection.finished().onComplete((v, err) -> connections.remove(connection));
  }

  private void closeOverdue() {
    long now = System.nanoTime();
    // collected first: a close can take the connection out of the set at once
    for (Connection c : List.copyOf(connections)) {
      String reason = c.overdue(now);
      if (reason != null) {
        LOG.debug("closing connection {}: {}", c.id(), reason);
        c.abort();
      }
    }
  }

  /**
   * Stops accepting, closes every connection after the requests it already read were handled
   * (in-flight deliveries finish), and waits until each has logged its user out.
   */
  @Override
  public Future<?> stop() {
    // the server's close completes on a thread of its own: come back to this verticle's loop,
    // which alone touches the connection set
    Promise<Void> stopped = Promise.promise();
    server.close().onComplete(ar -> context.runOnContext(v -> stopped.complete()));
    return stopped.future().compose(v -> {
      List<Future<Void>> done = new ArrayList<>();
      for (Connection c : new ArrayList<>(connections)) {
        done.add(c.finished());
        c.close();
      }
      return Future.join(done);
    });
  }
}
