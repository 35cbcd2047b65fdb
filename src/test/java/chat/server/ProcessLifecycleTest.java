package chat.server;

import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node as operators run it: a separate JVM started like {@code java -jar chat-fat.jar}, on the
 * embedded default, stopped with SIGTERM.
 */
class ProcessLifecycleTest {
  private final Path dir = createTempDir();
  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void embeddedDefaultServesAndSurvivesARestartAndSigtermExitsZero() throws Exception {
    int port = TestNode.freePort();
    process = start(port);
    long bob;
    long alice;
    try (TestClient a = TestClient.connect(port); TestClient b = TestClient.connect(port)) {
      alice = a.registerAndLogin("alice");
      bob = b.register(TestClient.uniqueName("bob"), "pw");
      a.chat(bob, "kept across restarts", 1);
      assertEquals("stored", a.expect(14).getString("status"));
      a.send(new JsonObject().put("msgid", 7).put("friendid", bob).put("seq", 2));
      a.expect(11);
    }
    stopWithSigterm();
    String log = Files.readString(dir.resolve("node.log"));
    assertTrue(log.contains("listening on 127.0.0.1:" + port), log);
    assertTrue(log.contains("store embedded H2"), log);
    assertTrue(log.contains("broker local"), log);
    assertTrue(!log.contains("pw-alice"), "passwords are never logged");

    process = start(port);
    try (TestClient b = TestClient.connect(port)) {
      JsonObject login = b.login(bob, "pw");
      assertEquals(0, login.getInteger("errno"));
      assertEquals(1, login.getJsonArray("offlinemsg").size());
      assertEquals(alice, new JsonObject(login.getJsonArray("friends").getString(0)).getLong("id"));
    }
    stopWithSigterm();
  }

  @Test
  void missingConfigFileFailsClearly() throws Exception {
    Process p = new ProcessBuilder(javaCommand("-conf", dir.resolve("nope.json").toString()))
        .directory(dir.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("configuration file not found"), out);
  }

  @Test
  void invalidConfigFailsClearly() throws Exception {
    Path conf = dir.resolve("bad.json");
    Files.writeString(conf, "{\"ports\":[6000],\"limits\":{\"idleSecs\":3}}");
    Process p = new ProcessBuilder(javaCommand("-conf", conf.toString()))
        .directory(dir.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("limits.idleSecs"), out);
  }

  private Process start(int port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(javaCommand())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()));
    pb.environment().put("CHAT_PORTS", String.valueOf(port));
    pb.environment().put("CHAT_HOST", "127.0.0.1");
    Process p = pb.start();
    int expectedStarts = ++starts;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Path log = dir.resolve("node.log");
      if (Files.exists(log) && Files.readString(log).split("node started", -1).length - 1 >= expectedStarts) {
        return p;
      }
      assertTrue(p.isAlive(), () -> "node died: " + read(log));
      Thread.sleep(100);
    }
    throw new AssertionError("node did not start: " + read(dir.resolve("node.log")));
  }

  private int starts;

  private void stopWithSigterm() throws Exception {
    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped");
    assertEquals(0, process.exitValue());
    assertTrue(read(dir.resolve("node.log")).contains("stopped"));
  }

  private static List<String> javaCommand(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "chat.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("chat-process-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
