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

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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

  /**
   * Clients that reconnect the moment their connection drops, as the terminal client and the web
   * page do, while the node stops (several event loops per port): a clean stop logs no warning and
   * no stack trace.
   */
  @Test
  void aStopWhileClientsReconnectLogsNoTrace() throws Exception {
    int port = TestNode.freePort();
    int webPort = TestNode.freePort();
    node = NodeProcess.start(null, Map.of("CHAT_PORTS", String.valueOf(port), "CHAT_HOST", "127.0.0.1",
        "CHAT_WEB_PORT", String.valueOf(webPort), "CHAT_WEB_HOST", "127.0.0.1", "CHAT_INSTANCES", "4"));
    try (Reconnecting chat = new Reconnecting(port, 8, "{\"msgid\":20}\n", "\n");
         Reconnecting web = new Reconnecting(webPort, 8, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + webPort
             + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             + "Sec-WebSocket-Version: 13\r\n\r\n", "\r\n\r\n")) {
      chat.awaitConnected();
      web.awaitConnected();
      assertEquals(0, node.stop());
      assertTrue(chat.droppedAndRefused() && web.droppedAndRefused(), "each client was dropped by the stop, then refused");
    }
    String log = node.log();
    assertTrue(log.contains("stopped"), log);
    assertFalse(log.contains(" WARN ") || log.contains(" ERROR ") || log.contains("\tat "),
        "a clean stop warns of nothing and prints no trace: " + log);
  }

  /**
   * Clients of a port, each connecting again at once whenever it is dropped or refused. Each says
   * {@code hello} and reads up to {@code answered} (the node has the connection then, not only the
   * kernel's backlog), then waits: anything more from the node (a WebSocket close) or the end of
   * the connection counts as dropped.
   */
  private static final class Reconnecting implements AutoCloseable {
    private final int port;
    private final byte[] hello;
    private final String answered;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch connected;
    private final CountDownLatch refusedAfterDrop;
    private volatile boolean closing;

    Reconnecting(int port, int clients, String hello, String answered) {
      this.port = port;
      this.hello = hello.getBytes(StandardCharsets.UTF_8);
      this.answered = answered;
      this.connected = new CountDownLatch(clients);
      this.refusedAfterDrop = new CountDownLatch(clients);
      for (int i = 0; i < clients; i++) {
        Thread t = new Thread(this::run, "reconnecting-" + port + "-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void run() {
      boolean first = true;
      boolean dropped = false;
      while (!closing) {
        Socket socket = new Socket();
        try {
          socket.connect(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException refused) {
          if (dropped) {
            dropped = false;
            refusedAfterDrop.countDown();
          }
          continue;
        }
        dropped = true;
        try (socket) {
          socket.getOutputStream().write(hello);
          InputStream in = socket.getInputStream();
          StringBuilder answer = new StringBuilder();
          for (int b = in.read(); b >= 0 && !answer.append((char) b).toString().endsWith(answered); b = in.read()) {
            continue;
          }
          if (first) {
            first = false;
            connected.countDown();
          }
          in.read();
        } catch (IOException reset) {
          // dropped all the same
        }
      }
    }

    void awaitConnected() throws InterruptedException {
      assertTrue(connected.await(30, TimeUnit.SECONDS), "every client connected to " + port);
    }

    boolean droppedAndRefused() throws InterruptedException {
      return refusedAfterDrop.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      closing = true;
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
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
