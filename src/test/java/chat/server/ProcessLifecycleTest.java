package chat.server;

import chat.testing.NodeProcess;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node as operators run it: a separate JVM started like {@code java -jar chat-fat.jar} with no
 * configuration file (the embedded default), stopped with SIGTERM.
 */
class ProcessLifecycleTest {
  private NodeProcess node;

  @AfterEach
  void kill() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void embeddedDefaultServesAndSurvivesARestartAndSigtermExitsZero() {
    int port = TestNode.freePort();
    node = NodeProcess.start(null, Map.of("CHAT_PORTS", String.valueOf(port), "CHAT_HOST", "127.0.0.1"));
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
    assertEquals(0, node.stop());
    String log = node.log();
    assertTrue(log.contains("listening on 127.0.0.1:" + port), log);
    assertTrue(log.contains("store embedded H2"), log);
    assertTrue(log.contains("broker local"), log);
    assertTrue(log.contains("stopped"), log);
    assertFalse(log.contains("pw-alice"), "passwords are never logged");
    assertTrue(Files.exists(node.directory().resolve("data/chat.mv.db")), "the embedded store lives under data/");

    node.start();
    try (TestClient b = TestClient.connect(port)) {
      JsonObject login = b.login(bob, "pw");
      assertEquals(0, login.getInteger("errno"));
      assertEquals(1, login.getJsonArray("offlinemsg").size());
      assertEquals(alice, new JsonObject(login.getJsonArray("friends").getString(0)).getLong("id"));
    }
    assertEquals(0, node.stop());
  }

  @Test
  void missingConfigFileFailsClearly() throws Exception {
    Process p = new ProcessBuilder(NodeProcess.javaCommand("-conf", "/nonexistent/nope.json"))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("configuration file not found"), out);
  }

  @Test
  void invalidConfigFailsClearly() throws Exception {
    Path conf = Files.createTempFile("bad", ".json");
    Files.writeString(conf, "{\"ports\":[6000],\"limits\":{\"idleSecs\":3}}");
    Process p = new ProcessBuilder(NodeProcess.javaCommand("-conf", conf.toString()))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("limits.idleSecs"), out);
  }
}
