package chat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * nginx running the repository's own nginx/nginx.conf as scripts/nginx-conf.sh writes it for the
 * test's nodes (the same script scripts/cluster.sh uses), with one worker: the TCP chat port, and
 * with web ports given, the web client's port (the http block) too.
 */
public final class TestNginx implements AutoCloseable {
  /** nginx's pid file and error log in its prefix directory, so that it runs as any user. */
  private static final String OWN_FILES = "pid nginx.pid; error_log error.log;";
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
    List<String> nodes = new ArrayList<>(List.of("127.0.0.1:" + port));
    upstreamPorts.forEach(p -> nodes.add("127.0.0.1:" + p));
    if (!webPorts.isEmpty()) {
      nodes.add("--web");
      nodes.add("127.0.0.1:" + webPort);
      webPorts.forEach(p -> nodes.add("127.0.0.1:" + p));
    }
    render(Map.of("NGINX_WORKERS", "1"), nodes, conf);
    process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString(),
        "-g", "daemon off; " + OWN_FILES)
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

  /**
   * Writes what scripts/nginx-conf.sh prints for {@code nodes} (its arguments) to {@code conf};
   * {@code env} adds its variables (NGINX_WORKERS, NGINX_TEMPLATE).
   */
  public static void render(Map<String, String> env, List<String> nodes, Path conf) throws IOException {
    List<String> generate = new ArrayList<>(List.of("bash", "scripts/nginx-conf.sh"));
    generate.addAll(nodes);
    ProcessBuilder generator = new ProcessBuilder(generate).redirectOutput(conf.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    generator.environment().putAll(env);
    if (finished(generator.start()) != 0) {
      throw new AssertionError("scripts/nginx-conf.sh " + String.join(" ", nodes) + " failed");
    }
  }

  /** What {@code nginx -t} says of {@code conf}, its temporary files and log under {@code prefix}. */
  public static Check check(Path prefix, Path conf) throws IOException {
    Path out = prefix.resolve("nginx-t.log");
    Process p = new ProcessBuilder("nginx", "-t", "-p", prefix.toString(), "-c", conf.toString(),
        "-g", OWN_FILES)
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    return new Check(finished(p), Files.readString(out));
  }

  /** What {@code nginx -V} prints: the version and the configure arguments (which modules are built in). */
  public static String version() throws IOException {
    Process p = new ProcessBuilder("nginx", "-V").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    finished(p);
    return out;
  }

  /** The exit code of {@code nginx -t} and its output. */
  public record Check(int exit, String output) {
  }

  private static int finished(Process p) {
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("did not finish: " + p.info().commandLine().orElse("?"));
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
