package chat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx running the repository's own nginx/nginx.conf as scripts/nginx-conf.sh writes it for the
 * test's nodes (the same script scripts/cluster.sh uses), with one worker: the TCP chat port, and
 * with web ports given, the web client's port (the http block) too.
 */
public final class TestNginx implements AutoCloseable {
  private final int port = TestNode.freePort();
  private final int webPort = TestNode.freePort();
  private final Path dir = TempDirs.create("chat-nginx-");
  private Process process;

  private TestNginx() {
  }

  /** nginx in front of the chat ports {@code upstreamPorts} only (no http block). */
  public static TestNginx start(List<Integer> upstreamPorts) {
    return start(upstreamPorts, List.of());
  }

  /** nginx in front of the chat ports and, when {@code webPorts} is not empty, the nodes' web ports. */
  public static TestNginx start(List<Integer> upstreamPorts, List<Integer> webPorts) {
    TestNginx nginx = new TestNginx();
    try {
      nginx.run(upstreamPorts, webPorts);
      return nginx;
    } catch (IOException e) {
      nginx.close();
      throw new UncheckedIOException("nginx with its stream module must be installed (scripts/services.sh)", e);
    } catch (RuntimeException | Error e) {
      nginx.close();
      throw e;
    }
  }

  private void run(List<Integer> upstreamPorts, List<Integer> webPorts) throws IOException {
    Path conf = dir.resolve("nginx.conf");
    List<String> generate = new ArrayList<>(List.of("bash", "scripts/nginx-conf.sh", "127.0.0.1:" + port));
    upstreamPorts.forEach(p -> generate.add("127.0.0.1:" + p));
    if (!webPorts.isEmpty()) {
      generate.add("--web");
      generate.add("127.0.0.1:" + webPort);
      webPorts.forEach(p -> generate.add("127.0.0.1:" + p));
    }
    ProcessBuilder generator = new ProcessBuilder(generate).redirectOutput(conf.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    generator.environment().put("NGINX_WORKERS", "1");
    Process generating = generator.start();
    try {
      if (!generating.waitFor(30, TimeUnit.SECONDS) || generating.exitValue() != 0) {
        throw new AssertionError("scripts/nginx-conf.sh failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString(),
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

  /** What nginx logged so far (connection failures to stopped nodes are [error] lines). */
  public String errorLog() {
    try {
      return Files.readString(dir.resolve("error.log"));
    } catch (IOException e) {
      return "";
    }
  }

  public int port() {
    return port;
  }

  /** The web client's port (when started with web ports). */
  public int webPort() {
    return webPort;
  }

  /** The web client's address through nginx: what a user opens. */
  public String webUrl() {
    return "http://127.0.0.1:" + webPort + "/";
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
    if (process == null) {
      TempDirs.delete(dir);
      return;
    }
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
