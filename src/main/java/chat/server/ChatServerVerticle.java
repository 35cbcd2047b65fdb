package chat.server;

import chat.config.Limits;
import chat.service.Dispatcher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One NetServer on one port, on this verticle's event loop; it only builds connections. */
final class ChatServerVerticle extends VerticleBase {
  private static final AtomicLong SESSIONS = new AtomicLong();

  private final String host;
  private final int port;
  private final String nodeId;
  private final Limits limits;
  private final Dispatcher dispatcher;
  private final Set<Connection> connections = new HashSet<>();
  private NetServer server;

  ChatServerVerticle(String host, int port, String nodeId, Limits limits, Dispatcher dispatcher) {
    this.host = host;
    this.port = port;
    this.nodeId = nodeId;
    this.limits = limits;
    this.dispatcher = dispatcher;
  }

  @Override
  public Future<?> start() {
    NetServerOptions options = new NetServerOptions()
        .setTcpNoDelay(true)
        .setReadIdleTimeout(limits.idleSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    server = vertx.createNetServer(options).connectHandler(this::accept);
    return server.listen(port, host);
  }

  private void accept(NetSocket socket) {
    Connection connection = new Connection(nodeId + "-" + SESSIONS.incrementAndGet(), vertx, socket, dispatcher, limits);
    connections.add(connection);
    connection.finished().onComplete(v -> connections.remove(connection));
  }

  /** Stops accepting, closes every connection and waits until each has logged its user out. */
  @Override
  public Future<?> stop() {
    return server.close().compose(v -> {
      List<Future<Void>> done = new ArrayList<>();
      for (Connection c : new ArrayList<>(connections)) {
        done.add(c.finished());
        c.close();
      }
      return Future.join(done);
    });
  }
}
