package chat.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.BindException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of a real service that a test can cut (every connection closed, new ones
 * refused) and resume, to simulate the service going down and coming back; and mute, so that what
 * the service answers is lost on its way (a request that was taken, whose answer never came).
 */
public final class TcpProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final NetClient client;
  // the event loop adds and removes sockets while the test thread waits for listen or close: a
  // concurrent set and no lock held while waiting, or the two would wait for each other
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private volatile boolean answersMuted;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = TestNode.freePort();
    this.client = vertx.createNetClient();
  }

  public static TcpProxy start(Vertx vertx, String host, int port) {
    TcpProxy proxy = new TcpProxy(vertx, host, port);
    proxy.resume();
    return proxy;
  }

  public int port() {
    return port;
  }

  /**
   * Accepts connections again (no-op when already listening). Right after {@link #cut} the port may
   * still be held for a moment (Vert.x completes a server's close before the socket is released), so
   * a bind that finds it in use is tried again for a few seconds.
   */
  public synchronized void resume() {
    if (server != null) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        server = TestNode.await(vertx.createNetServer().connectHandler(this::proxy).listen(port, "127.0.0.1"));
        return;
      } catch (Exception e) {
        // Future.await throws the failure as it is, a checked BindException included
        boolean portHeld = e instanceof BindException || e.getCause() instanceof BindException;
        if (!portHeld || System.nanoTime() > deadline) {
          throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        Waits.sleep(50);
      }
    }
  }

  /** From now on, until {@link #cut}, what the service sends is dropped. */
  public void muteAnswers() {
    answersMuted = true;
  }

  /** Closes the listener and every open connection (and ends {@link #muteAnswers}). */
  public synchronized void cut() {
    if (server != null) {
      TestNode.await(server.close());
      server = null;
    }
    for (NetSocket s : Set.copyOf(sockets)) {
      s.close();
    }
    answersMuted = false;
  }

  public void close() {
    cut();
    client.close();
  }

  private void proxy(NetSocket inbound) {
    inbound.pause();
    track(inbound);
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        untrack(inbound);
        inbound.close();
        return;
      }
      NetSocket outbound = ar.result();
      track(outbound);
      inbound.handler(outbound::write);
      outbound.handler(answer -> {
        if (!answersMuted) {
          inbound.write(answer);
        }
      });
      inbound.closeHandler(v -> {
        untrack(inbound);
        outbound.close();
      });
      outbound.closeHandler(v -> {
        untrack(outbound);
        inbound.close();
      });
      inbound.resume();
    });
  }

  private void track(NetSocket socket) {
    sockets.add(socket);
  }

  private void untrack(NetSocket socket) {
    sockets.remove(socket);
  }
}
