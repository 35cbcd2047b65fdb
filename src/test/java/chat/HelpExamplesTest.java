package chat;

import chat.bench.BenchCommand;
import chat.testing.ClusterScript;
import chat.testing.MainRun;
import chat.testing.NodeProcess;
import chat.testing.TempDirs;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.Waits;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every example of every {@code --help} (the node's, the client's, bench's and each bench
 * scenario's) is run as printed, by bash, against a node of the test's own, with the changes a
 * test cannot do without: {@code java -jar target/chat-fat.jar} becomes the test classes' java
 * command (the jar is packaged after the tests), the ports an example names (6000, 6001, 8081)
 * become free ports (a machine the suite shares may have anything on those), and
 * scripts/cluster.sh takes its ports, run directory and node command from the environment
 * ({@link ClusterScript}). Users 1 to 14 (password "secret") and groups 1 to 3 exist, as the
 * examples assume, and pw.txt holds the password. An example that cannot run in a test says why
 * in {@link #NOT_RUN}; an example this test does not know fails it.
 */
class HelpExamplesTest {
  private static final String JAR = "java -jar target/chat-fat.jar";
  private static final String PASSWORD = "secret";
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** Examples not run, and why. */
  private static final Map<String, String> NOT_RUN = Map.of(
      JAR + " client", "it tries 127.0.0.1:8000, then 6000: ports built into the client, not printed, which a test"
          + " cannot own on a machine it shares (ClientConnectTest checks the order, on ports of its own)",
      JAR + " bench one --port 6000 --pairs 50 --window 8", "a benchmark: 25 s of full load on the machine the suite"
          + " shares; parsed here, and BenchSmokeTest runs the scenario at a small scale",
      JAR + " bench login --port 6000 -n 1000 --by TOKEN", "a benchmark: 1000 users registered, then four rounds of"
          + " 1000 logins; parsed here, and BenchSmokeTest runs the scenario at a small scale");

  private static final String CLIENT = JAR + " client --port 6000";
  private static final String CLIENT_SCRIPT = CLIENT + " -u 13 --password-file pw.txt -s chat:14:hello -s addgroup:3";
  private static final String CLIENT_STDIN = "printf 'login 13 secret\\nchat:14:hello\\n' | " + CLIENT;
  private static final String SECOND_NODE = "CHAT_PORTS=6001 CHAT_WEB_PORT=8081 CHAT_STORE_PATH=data/node2/chat " + JAR;
  private static final String CLUSTER = "scripts/cluster.sh up 3";

  private static NodeProcess node;
  private static int port;
  private static Path dir;
  /** Every example of every help: its words on one line, and as printed. */
  private static final Map<String, String> EXAMPLES = new LinkedHashMap<>();

  @BeforeAll
  static void theExamplesAndTheUsersAndGroupsTheyName() throws IOException {
    dir = TempDirs.create("chat-examples-");
    Files.writeString(dir.resolve("pw.txt"), PASSWORD + "\n");
    for (List<String> help : helps()) {
      MainRun run = MainRun.run(dir, Map.of(), null, help.toArray(String[]::new));
      assertEquals(0, run.exit(), run.output());
      EXAMPLES.putAll(examples(run.output()));
    }
    port = TestNode.freePort();
    node = NodeProcess.start(null, Map.of("CHAT_PORTS", String.valueOf(port), "CHAT_HOST", "127.0.0.1"));
    try (TestClient client = TestClient.connect(port)) {
      for (long id = 1; id <= 14; id++) {
        assertEquals(id, client.register(TestClient.uniqueName("user" + id), PASSWORD), "a fresh store numbers from 1");
      }
      assertEquals(0, client.login(1, PASSWORD).getInteger("errno"));
      for (int group = 1; group <= 3; group++) {
        client.send(new JsonObject().put("msgid", 8).put("groupname", "g" + group).put("groupdesc", "d").put("seq", group));
        assertEquals(group, client.expect(12).getInteger("groupid"));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TempDirs.delete(dir);
  }

  @Test
  void everyExampleIsRunHereOrSaysWhyNot() {
    Set<String> unknown = new TreeSet<>(EXAMPLES.keySet());
    unknown.removeAll(NOT_RUN.keySet());
    unknown.removeAll(List.of(CLIENT, CLIENT_SCRIPT, CLIENT_STDIN, SECOND_NODE, CLUSTER));
    assertEquals(Set.of(), unknown, "examples this test does not know: run them here, or say in NOT_RUN why not");
    assertTrue(EXAMPLES.keySet().containsAll(NOT_RUN.keySet()), "NOT_RUN names only printed examples: " + EXAMPLES.keySet());
  }

  @Test
  void theClientExamplesRun() {
    MainRun interactive = client(CLIENT, "login 13 " + PASSWORD + "\nfriends\n");
    assertTrue(interactive.output().contains("current login user => id:13"), interactive.output());

    MainRun script = client(CLIENT_SCRIPT, null);
    assertTrue(script.output().contains("sent to [14]"), script.output());
    assertTrue(script.output().contains("joined group[3]"), script.output());

    MainRun piped = client(CLIENT_STDIN, null);
    assertTrue(piped.output().contains("current login user => id:13"), "the password arrived whole: " + piped.output());
    assertTrue(piped.output().contains("sent to [14]"), piped.output());
  }

  /** The node example, started in the first node's directory (6001 and 8081: free ports): up beside it, a clean stop. */
  @Test
  void theNodeExampleStartsASecondNodeBesideTheFirst() throws Exception {
    int secondPort = TestNode.freePort();
    String command = runnable(EXAMPLES.get(SECOND_NODE)).replaceAll("\\b6001\\b", String.valueOf(secondPort))
        .replaceAll("\\b8081\\b", String.valueOf(TestNode.freePort()));
    Path log = node.directory().resolve("second.log");
    Process second = new ProcessBuilder("bash", "-c", command)
        .directory(node.directory().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (!Files.readString(log).contains("node started")) {
        if (!second.isAlive() || System.nanoTime() > deadline) {
          fail("the second node did not start: " + Files.readString(log));
        }
        Waits.sleep(100);
      }
      try (TestClient client = TestClient.connect(secondPort)) {
        assertEquals(1, client.login(14, PASSWORD).getInteger("errno"), "a store of its own: the first node's users are not in it");
      }
      // SIGTERM to the node, whether bash runs it or became it
      second.descendants().forEach(ProcessHandle::destroy);
      second.destroy();
      assertTrue(second.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), Files.readString(log));
      assertEquals(0, second.exitValue(), Files.readString(log));
    } finally {
      second.descendants().forEach(ProcessHandle::destroyForcibly);
      second.destroyForcibly();
    }
  }

  @Test
  void theClusterExampleStartsThreeNodesBehindNginx() {
    try (ClusterScript cluster = new ClusterScript()) {
      MainRun up = cluster.shell(EXAMPLES.get(CLUSTER));
      assertEquals(0, up.exit(), up.output());
      assertTrue(up.output().contains("node " + (cluster.port("CLUSTER_NODE_PORT") + 4) + " up"), "three nodes: " + up.output());
      try (TestClient client = TestClient.connect(cluster.port("CLUSTER_NGINX_PORT"))) {
        client.send(new JsonObject().put("msgid", 20)).expect(21);
      }
    }
  }

  @Test
  void theBenchExamplesNameAScenarioAndOptionsThatParse() {
    for (String example : NOT_RUN.keySet()) {
      if (example.startsWith(JAR + " bench ")) {
        CommandLine.ParseResult parsed = new CommandLine(new BenchCommand())
            .parseArgs(example.substring((JAR + " bench ").length()).split(" "));
        assertTrue(parsed.hasSubcommand(), example);
      }
    }
  }

  /** Every help there is: the node's, the client's, bench's and each bench scenario's. */
  private static List<List<String>> helps() {
    List<List<String>> helps = new ArrayList<>(List.of(List.of("--help"), List.of("client", "--help"),
        List.of("bench", "--help")));
    new CommandLine(new BenchCommand()).getSubcommands().keySet()
        .forEach(scenario -> helps.add(List.of("bench", scenario, "--help")));
    return helps;
  }

  /**
   * The commands of a help's "Examples:" section, up to the next empty line, as printed (a line
   * ending in {@code \} or {@code |} goes on), keyed by their words on one line; comment lines left out.
   */
  static Map<String, String> examples(String help) {
    Map<String, String> examples = new LinkedHashMap<>();
    int at = help.indexOf("\nExamples:\n");
    if (at < 0) {
      return examples;
    }
    StringBuilder printed = new StringBuilder();
    for (String line : help.substring(at + "\nExamples:\n".length()).split("\n")) {
      if (line.isBlank()) {
        break;
      }
      if (line.strip().startsWith("#")) {
        continue;
      }
      printed.append(line.strip());
      if (line.endsWith("\\") || line.endsWith("|")) {
        printed.append('\n');
        continue;
      }
      examples.put(printed.toString().replace("\\\n", "").replace("\n", " "), printed.toString());
      printed.setLength(0);
    }
    return examples;
  }

  /** The example with the test's java command, and the test node's port for 6000. */
  private static String runnable(String printed) {
    return printed.replace(JAR, String.join(" ", NodeProcess.javaCommand()))
        .replaceAll("\\b6000\\b", String.valueOf(port));
  }

  /** A client example, by its words on one line: it runs in the test's directory and exits 0. */
  private static MainRun client(String example, String stdin) {
    MainRun run = MainRun.shell(dir, Map.of(), stdin, runnable(EXAMPLES.get(example)), LIMIT);
    assertEquals(0, run.exit(), example + "\n" + run.output());
    return run;
  }
}
