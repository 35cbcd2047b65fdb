package chat.server;

import chat.config.ChatConfig;
import chat.loop.Loop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The node's listening servers, chat and web, one per port and event loop. A stop takes every one
 * out of service and waits until the kernel has closed their ports before it closes any
 * connection, so a client the stop drops and that reconnects at once is refused. Stopped one
 * verticle at a time, a dropped client could reach its port through another event loop just as
 * that one closed too: Vert.x 5.0.7 lets go of a port's last event loop before it closes the
 * socket, and a connection accepted in between is dropped with a WARN and a stack trace
 * (eclipse-vertx/vert.x#6087).
 */
final class Acceptors {
  /** A Vert.x server's graceful shutdown: {@code NetServer::shutdown}, {@code HttpServer::shutdown}. */
  interface Shutdown {
    Future<Void> shutdown(long timeout, TimeUnit unit);
  }

  private final Vertx vertx;
  private final Duration drain;
  private final List<Server> servers = new CopyOnWriteArrayList<>();

  /** {@code drain}: how long the servers' connections may stay open once they are out of service. */
  Acceptors(Vertx vertx, Duration drain) {
    this.vertx = vertx;
    this.drain = drain;
  }

  /** One listening server, shut down once: by the node's stop or by its verticle's, whichever comes first. */
  final class Server {
    private final ChatConfig.Listener listener;
    private final Context context;
    private final Shutdown shutdown;
    private Future<Void> shuttingDown;

    private Server(ChatConfig.Listener listener, Context context, Shutdown shutdown) {
      this.listener = listener;
      this.context = context;
      this.shutdown = shutdown;
    }

    /**
     * On the server's own context: no new connection reaches it (its port closes with the last of
     * its event loops), those it has stay open; completes once they are all closed.
     */
    private Future<Void> shutdown() {
      if (shuttingDown == null) {
        shuttingDown = shutdown.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS);
      }
      return shuttingDown;
    }

    /** On the server's own context: out of service, then {@code connections} closed after what they read. */
    Future<Void> stop(Connections connections) {
      Future<Void> shutDown = shutdown();
      return connections.closeAll().compose(v -> shutDown);
    }
  }

  /** A server now listening on {@code listener}'s port (the actual one), on {@code context}. */
  Server listening(ChatConfig.Listener listener, Context context, Shutdown shutdown) {
    Server server = new Server(listener, context, shutdown);
    servers.add(server);
    return server;
  }

  /** Takes every server out of service; completes once none of their ports is open, or after the drain time. */
  Future<Void> stopAccepting() {
    List<Future<Void>> started = servers.stream().map(server -> {
      Promise<Void> out = Promise.promise();
      Loop.run(server.context, () -> {
        server.shutdown();
        out.complete();
      });
      return out.future();
    }).toList();
    return Future.join(started)
        .compose(v -> Ports.closed(vertx, servers.stream().map(s -> s.listener).distinct().toList(), drain));
  }
}
