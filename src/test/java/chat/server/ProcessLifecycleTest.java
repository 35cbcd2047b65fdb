package chat.server;

import chat.testing.MainRun;
import chat.testing.NodeProcess;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
  void embeddedDefaultServesAndSurvivesARestartAndSigtermExitsZero() throws Exception {
    int port = TestNode.freePort();
    node = NodeProcess.start(null, Map.of("CHAT_PORTS", String.valueOf(port), "CHAT_HOST", "127.0.0.1",
        "CHAT_WEB_HOST", "127.0.0.1", "CHAT_WEB_PORT", String.valueOf(TestNode.freePort())));
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
    assertTrue(log.contains("clients: java -jar target/chat-fat.jar client --host 127.0.0.1 --port " + port), log);
    String store = node.directory().toRealPath().resolve("data/chat.mv.db").toString();
    assertTrue(log.contains("store embedded H2 at " + store), "the absolute path, whatever the working directory: " + log);
    assertTrue(log.contains("new, empty store at " + store), log);
    assertTrue(log.contains("broker local"), log);
    assertTrue(log.contains("stopped"), log);
    assertFalse(log.contains("pw-alice"), "passwords are never logged");
    assertFalse(log.contains(" WARN ") || log.contains(" ERROR "), "a clean start and stop warn of nothing: " + log);
    assertTrue(Files.exists(node.directory().resolve("data/chat.mv.db")), "the embedded store lives under data/");

    node.start();
    try (TestClient b = TestClient.connect(port)) {
      JsonObject login = b.login(bob, "pw");
      assertEquals(0, login.getInteger("errno"));
      assertEquals(1, login.getJsonArray("offlinemsg").size());
      assertEquals(alice, new JsonObject(login.getJsonArray("friends").getString(0)).getLong("id"));
    }
    assertEquals(0, node.stop());
    assertEquals(1, node.log().split("new, empty store", -1).length - 1, "the second start found the data");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"chat port, CHAT_PORTS, ports", "metrics port, CHAT_METRICS_PORT, metrics.port",
      "web port, CHAT_WEB_PORT, web.port"})
  void aPortInUseIsNamedWithItsSettingAndNothingIsCreated(String listener, String variable, String key,
      @TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new HashMap<>(Map.of("CHAT_HOST", "127.0.0.1",
          "CHAT_PORTS", String.valueOf(TestNode.freePort()), "CHAT_METRICS_HOST", "127.0.0.1",
          "CHAT_WEB_HOST", "127.0.0.1", "CHAT_WEB_PORT", String.valueOf(TestNode.freePort())));
      env.put(variable, String.valueOf(taken.getLocalPort()));
      MainRun run = MainRun.run(dir, env, null);
      assertEquals(1, run.exit(), run.output());
      assertTrue(run.output().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (" + listener
          + "): Address already in use; another process (another node?) has it: stop it, or choose another port with "
          + variable + " (\"" + key + "\" in the -conf file)"), run.output());
    }
    assertFalse(Files.exists(dir.resolve("data")), "no store is created before the ports are bound");
  }

  /** The README's own hint for a taken port, followed in the directory of a running node. */
  @Test
  void aSecondNodeInTheSameDirectoryNamesTheStoreAndItsSetting() throws Exception {
    int port = TestNode.freePort();
    node = NodeProcess.start(null, Map.of("CHAT_PORTS", String.valueOf(port), "CHAT_HOST", "127.0.0.1"));
    MainRun second = MainRun.run(node.directory(), Map.of("CHAT_PORTS", String.valueOf(TestNode.freePort()),
        "CHAT_HOST", "127.0.0.1", "CHAT_WEB_HOST", "127.0.0.1", "CHAT_WEB_PORT", String.valueOf(TestNode.freePort())), null);
    assertEquals(1, second.exit(), second.output());
    String store = node.directory().toRealPath().resolve("data/chat.mv.db").toString();
    assertTrue(second.output().contains("node failed to start: cannot open the embedded store " + store
        + ": another process (another node started in this directory?) has it open, and an embedded store serves"
        + " one node; stop that node, or give this one a store of its own with CHAT_STORE_PATH (\"store.path\" in"
        + " the -conf file, e.g. CHAT_STORE_PATH=data/node2/chat)"), second.output());
    assertFalse(second.output().contains("Exception"), "words, not H2's exception: " + second.output());
    try (TestClient first = TestClient.connect(port)) {
      first.send(new JsonObject().put("msgid", 20)).expect(21);
    }
  }

  @Test
  void missingConfigFileFailsClearly(@TempDir Path dir) {
    MainRun run = MainRun.run(dir, Map.of(), null, "-conf", "/nonexistent/nope.json");
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("configuration file not found"), run.output());
  }

  @Test
  void invalidConfigFailsClearly(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("bad.json"), "{\"ports\":[6000],\"limits\":{\"idleSecs\":3}}");
    MainRun run = MainRun.run(dir, Map.of(), null, "-conf", conf.toString());
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("unknown configuration key 'limits.idleSecs' (did you mean limits.idleSeconds?)"),
        run.output());
  }
}
