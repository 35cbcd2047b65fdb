package chat.client;

import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a node that a test can mute in one direction (what the client sends, or
 * what the node answers, is dropped), cut (every connection closed, new ones refused) and resume:
 * a connection that drops before a request reached the node, or after the node took it and before
 * its answer came back.
 */
final class MutingProxy implements AutoCloseable {
  private final Vertx vertx;
  private final int targetPort;
  private final int port = TestNode.freePort();
  private final NetClient client;
  /** Touched by the event loop; never behind a lock the test thread holds while it awaits the event loop. */
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean requestsMuted;
  private volatile boolean answersMuted;
  private final CountDownLatch requestDropped = new CountDownLatch(1);
  /** Only the test thread starts and stops the listener. */
  private NetServer server;

  private MutingProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  static MutingProxy start(Vertx vertx, int targetPort) {
    MutingProxy proxy = new MutingProxy(vertx, targetPort);
    proxy.resume();
    return proxy;
  }

  int port() {
    return port;
  }

  /** From now on what clients send is dropped. */
  void muteRequests() {
    requestsMuted = true;
  }

  /** Waits until something a client sent was dropped (see {@link #muteRequests}); false if nothing was in time. */
  boolean awaitDroppedRequest(Duration wait) throws InterruptedException {
    return requestDropped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** From now on the node's answers are dropped. */
  void muteAnswers() {
    answersMuted = true;
  }

  /** Closes the listener and every open connection. */
  void cut() {
    if (server != null) {
      TestNode.await(server.close());
      server = null;
    }
    for (NetSocket s : Set.copyOf(sockets)) {
      s.close();
    }
  }

  /** Accepts connections again and passes everything on again. */
  void resume() {
    requestsMuted = false;
    answersMuted = false;
    if (server == null) {
      server = TestNode.await(vertx.createNetServer().connectHandler(this::proxy).listen(port, "127.0.0.1"));
    }
  }

  @Override
  public void close() {
    cut();
    client.close();
  }

  private void proxy(NetSocket inbound) {
    inbound.pause();
    sockets.add(inbound);
    client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        sockets.remove(inbound);
        inbound.close();
        return;
      }
      NetSocket outbound = ar.result();
      sockets.add(outbound);
      inbound.handler(data -> {
        if (requestsMuted) {
          requestDropped.countDown();
        } else {
          outbound.write(data);
        }
      });
      outbound.handler(data -> {
        if (!answersMuted) {
          inbound.write(data);
        }
      });
      inbound.closeHandler(v -> {
        sockets.remove(inbound);
        outbound.close();
      });
      outbound.closeHandler(v -> {
        sockets.remove(outbound);
        inbound.close();
      });
      inbound.resume();
    });
  }
}
