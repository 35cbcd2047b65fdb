package chat.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node in its own JVM, started as operators start it ({@code chat.Main -conf file}), so that
 * tests can stop it with SIGTERM or kill it with SIGKILL.
 */
public final class NodeProcess implements AutoCloseable {
  private final Path dir;
  private final Path log;
  private final JsonObject config;
  private final Map<String, String> env;
  private Process process;
  private int starts;

  private NodeProcess(Path dir, JsonObject config, Map<String, String> env) {
    this.dir = dir;
    this.log = dir.resolve("node.log");
    this.config = config;
    this.env = env;
  }

  /**
   * {@code config} is the -conf file's content, or null to start without -conf; {@code env} adds
   * CHAT_* variables. The working directory is a fresh temp dir, removed by {@link #close}.
   */
  public static NodeProcess start(JsonObject config, Map<String, String> env) {
    NodeProcess p = new NodeProcess(TempDirs.create("chat-node-"), config, env);
    try {
      p.start();
      return p;
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
  }

  public Path directory() {
    return dir;
  }

  public void start() {
    try {
      List<String> args = new ArrayList<>();
      if (config != null) {
        Path conf = dir.resolve("config.json");
        Files.writeString(conf, config.encodePrettily());
        args = List.of("-conf", conf.toString());
      }
      ProcessBuilder builder = new ProcessBuilder(javaCommand(args.toArray(String[]::new)))
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // no web port unless a test asks for one: several nodes may run at once, and 8080 may be taken
      if (config == null || !config.containsKey("web")) {
        builder.environment().put("CHAT_WEB_PORT", "0");
      }
      builder.environment().putAll(env);
      process = builder.start();
      int expected = ++starts;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (log().split("node started", -1).length - 1 >= expected) {
          return;
        }
        if (!process.isAlive()) {
          throw new AssertionError("node died: " + log());
        }
        Thread.sleep(100);
      }
      throw new AssertionError("node did not start: " + log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGTERM, then the exit code. */
  public int stop() {
    process.destroy();
    return await();
  }

  /** SIGKILL: no cleanup of any kind. */
  public void kill() {
    process.destroyForcibly();
    await();
  }

  private int await() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("node did not exit");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Kills the node if it still runs and removes its working directory. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      await();
    }
    TempDirs.delete(dir);
  }

  /** The same JVM and classpath as the tests, running the jar's main class. */
  public static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "chat.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
