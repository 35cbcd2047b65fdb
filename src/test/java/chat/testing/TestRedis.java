package chat.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server on a free port, so cluster tests neither see each other's keys nor
 * disturb the shared Redis, and can kill and restart it.
 */
public final class TestRedis implements RedisBackend {
  private final int port = TestNode.freePort();
  private Process process;

  public static TestRedis start() {
    TestRedis redis = new TestRedis();
    redis.startServer();
    return redis;
  }

  @Override
  public JsonObject brokerConfig() {
    return new JsonObject().put("mode", "standalone").put("uri", uri());
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void startServer() {
    try {
      process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server must be installed (scripts/services.sh does it)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Waits.sleep(50);
      }
    }
    throw new AssertionError("redis-server did not start on " + port);
  }

  /** Kills the server the hard way: everything in it is gone, as after a crash. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    kill();
  }
}
