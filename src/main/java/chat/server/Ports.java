package chat.server;

import chat.config.ChatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The TCP ports a node listens on: tried before the node creates anything (the embedded store's
 * directory included), and a port that cannot be bound reported with the setting that moves it.
 */
final class Ports {
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
        // on a worker: resolving a host name may wait for DNS
        chain = chain.compose(v -> explained(listener, vertx.executeBlocking(() -> {
          try (SocketChannel probe = SocketChannel.open()) {
            // as the real server does, so that connections of a previous run in TIME_WAIT do not count
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(new InetSocketAddress(listener.host(), listener.port()));
          }
          return null;
        })));
      }
    }
    return chain;
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
