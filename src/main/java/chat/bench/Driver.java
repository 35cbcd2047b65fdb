package chat.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bench's own Vert.x: a fixed set of event loops, each an explicit context so that the
 * connections of one pair or group share a thread and their state needs no locking, and one
 * NetClient per local source address so that more than 64k connections can be opened.
 */
final class Driver implements AutoCloseable {
  private final Vertx vertx;
  private final List<Context> loops;
  private final List<NetClient> clients = new ArrayList<>();
  private final AtomicInteger nextClient = new AtomicInteger();

  private Driver(Vertx vertx, List<Context> loops, List<String> sources) {
    this.vertx = vertx;
    this.loops = loops;
    for (String source : sources) {
      NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(30_000);
      if (!source.isEmpty()) {
        options.setLocalAddress(source);
      }
      clients.add(vertx.createNetClient(options));
    }
  }

  /** {@code sources} empty means "let the kernel choose". */
  static Driver start(int loopCount, List<String> sources) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loopCount).setPreferNativeTransport(true));
    List<Context> loops = new ArrayList<>();
    for (int i = 0; i < loopCount; i++) {
      // a context created from outside Vert.x is bound to the next event loop, round-robin
      loops.add(vertx.getOrCreateContext());
    }
    return new Driver(vertx, loops, sources.isEmpty() ? List.of("") : sources);
  }

  int loops() {
    return loops.size();
  }

  Vertx vertx() {
    return vertx;
  }

  Context loop(int index) {
    return loops.get(Math.floorMod(index, loops.size()));
  }

  /** Connects from the given loop; the connection's handlers all run on that loop. */
  Future<BenchConnection> connect(int loop, Endpoint endpoint, BenchConnection.Trouble trouble) {
    NetClient client = clients.get(Math.floorMod(nextClient.getAndIncrement(), clients.size()));
    Promise<BenchConnection> connected = Promise.promise();
    loop(loop).runOnContext(v -> client.connect(endpoint.port(), endpoint.host())
        .map(socket -> new BenchConnection(socket, trouble))
        .onComplete(connected));
    return connected.future();
  }

  /** Runs an action on a loop and completes with its future's outcome. */
  <T> Future<T> on(int loop, java.util.function.Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    loop(loop).runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
  }
}
