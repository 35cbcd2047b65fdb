package chat.server;

import chat.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TCP ports a node listens on: tried before the node creates anything (the embedded store's
 * directory included), a port that cannot be bound reported with the setting that moves it, and at
 * a stop, found closed before any connection is.
 */
final class Ports {
  private static final long RETRY_MILLIS = 10;

  private Ports() {
  }

  /** A port that could not be bound, in words that name the port and the setting. */
  static final class CannotListen extends RuntimeException {
    CannotListen(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Binds every configured port and releases it at once, without listening: a client that comes
   * meanwhile is refused as if nothing were there. Another process can still take a port between
   * this check and the real listen; that listen then fails with the same words.
   */
  static Future<Void> check(Vertx vertx, ChatConfig config) {
    Future<Void> chain = Future.succeededFuture();
    for (ChatConfig.Listener listener : config.listeners()) {
      if (listener.port() > 0) {
        chain = chain.compose(v -> explained(listener, probe(vertx, listener)));
      }
    }
    return chain;
  }

  /**
   * Completes once no socket listens on these ports any more (each probed until it binds, every
   * {@code RETRY_MILLIS}), or once {@code within} has passed: another process may have taken a
   * port meanwhile.
   */
  static Future<Void> closed(Vertx vertx, List<ChatConfig.Listener> listeners, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    Future<Void> chain = Future.succeededFuture();
    for (ChatConfig.Listener listener : listeners) {
      chain = chain.compose(v -> closed(vertx, listener, deadline));
    }
    return chain;
  }

  private static Future<Void> closed(Vertx vertx, ChatConfig.Listener listener, long deadline) {
    return probe(vertx, listener).recover(open -> System.nanoTime() > deadline
        ? Future.succeededFuture()
        : vertx.timer(RETRY_MILLIS, TimeUnit.MILLISECONDS).compose(t -> closed(vertx, listener, deadline)));
  }

  /** Binds the port and releases it at once, without listening; on a worker, since resolving a host name may wait for DNS. */
  private static Future<Void> probe(Vertx vertx, ChatConfig.Listener listener) {
    return vertx.executeBlocking(() -> {
      try (SocketChannel probe = SocketChannel.open()) {
        // as the real server does, so that connections of a previous run in TIME_WAIT do not count
        probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        probe.bind(new InetSocketAddress(listener.host(), listener.port()));
      }
      return null;
    });
  }

  /** {@code listening}; when its bind failed, failed with a {@link CannotListen} naming the port and the setting. */
  static <T> Future<T> explained(ChatConfig.Listener listener, Future<T> listening) {
    return listening.recover(err -> Future.failedFuture(isBindFailure(err) ? new CannotListen(message(listener, err), err) : err));
  }

  /** NIO throws a BindException; the native transport an IOException "bind(..) failed with error(-98): …". */
  private static boolean isBindFailure(Throwable err) {
    return err instanceof BindException || String.valueOf(err.getMessage()).startsWith("bind(");
  }

  private static String message(ChatConfig.Listener l, Throwable err) {
    String detail = String.valueOf(err.getMessage());
    String reason = detail.substring(detail.lastIndexOf(": ") + 1).strip();
    String hint;
    if (reason.contains("in use")) {
      hint = "another process (another node?) has it: stop it, or choose another port with " + l.portVariable()
          + " (\"" + l.portKey() + "\" in the -conf file)";
    } else if (reason.contains("ermission")) {
      hint = "ports below 1024 need privileges: choose another port with " + l.portVariable();
    } else {
      hint = "check " + l.hostVariable() + " and " + l.portVariable()
          + " (\"" + l.hostKey() + "\" and \"" + l.portKey() + "\" in the -conf file)";
    }
    return "cannot listen on " + l.host() + ":" + l.port() + " (" + l.name() + "): " + reason + "; " + hint;
  }
}
