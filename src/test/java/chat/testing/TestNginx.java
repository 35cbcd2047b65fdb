package chat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx running the repository's own nginx/nginx.conf, with the listen port and the upstream
 * servers rewritten for the test's nodes.
 */
public final class TestNginx implements AutoCloseable {
  private final int port = TestNode.freePort();
  private final Path dir = TempDirs.create("chat-nginx-");
  private final Process process;

  private TestNginx(List<Integer> upstreamPorts) throws IOException {
    StringBuilder servers = new StringBuilder();
    for (int p : upstreamPorts) {
      servers.append("        server 127.0.0.1:").append(p).append(" max_fails=3 fail_timeout=10s;\n");
    }
    String shipped = Files.readString(Path.of("nginx/nginx.conf"));
    String conf = shipped
        .replaceFirst("(?m)^\\s*server 127\\.0\\.0\\.1:\\d+ max_fails.*\\n(\\s*server 127\\.0\\.0\\.1:\\d+ max_fails.*\\n)*",
            servers.toString())
        .replace("listen 8000;", "listen 127.0.0.1:" + port + ";")
        .replace("worker_processes auto;", "worker_processes 1;");
    Files.writeString(dir.resolve("nginx.conf"), conf);
    process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-g", "daemon off; pid nginx.pid; error_log error.log;")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new AssertionError("nginx died: " + Files.readString(dir.resolve("stdout.log")));
        }
        Waits.sleep(50);
      }
    }
    throw new AssertionError("nginx did not listen on " + port);
  }

  public static TestNginx start(List<Integer> upstreamPorts) {
    try {
      return new TestNginx(upstreamPorts);
    } catch (IOException e) {
      throw new UncheckedIOException("nginx with its stream module must be installed (scripts/services.sh)", e);
    }
  }

  public int port() {
    return port;
  }

  public TestClient connect() {
    return TestClient.connect(port);
  }

  /** A client connecting from another loopback address (127.0.0.2, …): nginx reports it to the node. */
  public TestClient connectFrom(String localAddress) {
    return TestClient.connectFrom(localAddress, port);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    TempDirs.delete(dir);
  }
}
