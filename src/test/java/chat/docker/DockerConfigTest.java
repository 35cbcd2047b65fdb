package chat.docker;

import chat.config.ChatConfig;
import chat.server.ServerCommand;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.SqlClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * There is no container engine here: docker/ is kept honest by reading its files. The compose file
 * (parsed by SnakeYAML, which jackson-dataformat-yaml brings, because it resolves the {@code <<:}
 * merge keys) must agree with the Dockerfile, with .dockerignore, with docker/nginx.conf, with
 * nginx/nginx.conf, with what {@link ChatConfig} accepts, and with the MariaDB the tests run on.
 */
class DockerConfigTest {
  private static final List<String> NODES = List.of("node1", "node2");
  private static JsonObject compose;
  private static String dockerfile;
  private static List<String> dockerignore;
  private static String dockerNginx;
  private static String shippedNginx;

  @BeforeAll
  static void read() throws IOException {
    Map<String, Object> yaml = new Yaml().load(Files.readString(Path.of("docker/compose.yaml")));
    compose = new JsonObject(new JsonObject(yaml).encode());
    dockerfile = Files.readString(Path.of("docker/Dockerfile"));
    dockerignore = Files.readAllLines(Path.of(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    dockerNginx = Files.readString(Path.of("docker/nginx.conf"));
    shippedNginx = Files.readString(Path.of("nginx/nginx.conf"));
  }

  @Test
  void composeHasTheWholeCluster() {
    JsonObject services = compose.getJsonObject("services");
    assertEquals(Set.of("mariadb", "redis", "node1", "node2", "nginx"), services.fieldNames());
    assertTrue(services.getJsonObject("nginx").getJsonArray("ports").contains("8000:8000"), "clients connect to 8000");
    for (String name : NODES) {
      JsonObject node = services.getJsonObject(name);
      assertEquals("docker/Dockerfile", node.getJsonObject("build").getString("dockerfile"), name);
      assertEquals("..", node.getJsonObject("build").getString("context"), name + ": built from the repository root");
      for (String dependency : List.of("mariadb", "redis")) {
        assertEquals("service_healthy", node.getJsonObject("depends_on").getJsonObject(dependency).getString("condition"));
      }
      int grace = Integer.parseInt(node.getString("stop_grace_period").replace("s", ""));
      assertTrue(grace > nodeConfig(name).drainSeconds() + ServerCommand.STOP_MARGIN_SECONDS,
          name + ": docker stop must leave the drain its time before SIGKILL");
    }
  }

  @Test
  void everyNodeVariableIsAConfigurationKeyAndPointsAtTheComposeServices() {
    JsonObject mariadb = compose.getJsonObject("services").getJsonObject("mariadb").getJsonObject("environment");
    Set<String> nodeIds = new TreeSet<>();
    for (String name : NODES) {
      // ChatConfig rejects any CHAT_ variable that is not a key
      ChatConfig.from(new JsonObject(), nodeEnvironment(name));
      ChatConfig c = nodeConfig(name);
      nodeIds.add(c.nodeId());
      assertEquals("mysql", c.store().type().name().toLowerCase(), name);
      assertEquals("mariadb", c.store().host(), name);
      assertEquals(mariadb.getString("MARIADB_DATABASE"), c.store().database(), name);
      assertEquals(mariadb.getString("MARIADB_USER"), c.store().user(), name);
      assertEquals(mariadb.getString("MARIADB_PASSWORD"), c.store().password(), name);
      assertEquals("redis", c.broker().type().name().toLowerCase(), name);
      assertTrue(c.broker().uri().startsWith("redis://redis:"), name);
      assertTrue(c.proxyProtocol(), name + ": behind nginx with proxy_protocol on");
      assertTrue(c.metrics().enabled(), name);
      assertEquals("0.0.0.0", c.metrics().host(), name + ": the health check and Prometheus come from outside");
    }
    assertEquals(NODES.size(), nodeIds.size(), "each node has its own id");
  }

  @Test
  void dockerNginxBalancesTheNodeServicesOnTheirChatPorts() {
    Set<String> expected = new TreeSet<>();
    for (String name : NODES) {
      expected.add(name + ":" + nodeConfig(name).ports().get(0));
    }
    assertEquals(expected, upstreams(block(dockerNginx, "stream")));
    JsonObject nginx = compose.getJsonObject("services").getJsonObject("nginx");
    JsonArray command = nginx.getJsonArray("command");
    String confPath = command.getString(command.getList().indexOf("-c") + 1);
    assertTrue(nginx.getJsonArray("volumes").contains("./nginx.conf:" + confPath + ":ro"), "the mounted file is the one -c reads");
    assertTrue(dockerNginx.contains("listen 8000;"));
  }

  @Test
  void dockerNginxBalancesTheNodesWebPortsAndComposePublishesIt() {
    Set<String> expected = new TreeSet<>();
    for (String name : NODES) {
      ChatConfig node = nodeConfig(name);
      assertTrue(node.web().enabled(), name + " serves the web client");
      expected.add(name + ":" + node.web().port());
      assertTrue(Set.of(instruction("EXPOSE").split("\\s+")).contains(String.valueOf(node.web().port())),
          name + "'s web port is exposed");
    }
    String http = block(dockerNginx, "http");
    assertEquals(expected, upstreams(http));
    assertTrue(http.contains("listen 8080;"));
    assertTrue(compose.getJsonObject("services").getJsonObject("nginx").getJsonArray("ports").contains("8080:8080"),
        "browsers open 8080");
  }

  @Test
  void dockerNginxHasTheShippedSettings() {
    // every directive of the shipped stream and http sections, but the addresses, is in the docker one, with the same value
    assertEquals(directives(shippedNginx), directives(dockerNginx));
    assertTrue(directives(dockerNginx).contains("proxy_protocol on"));
    assertTrue(directives(dockerNginx).contains("tcp_nodelay on"));
    assertEquals(serverOptions(shippedNginx), serverOptions(dockerNginx), "max_fails / fail_timeout");
  }

  @Test
  void dockerfileRunsTheJarAsANonRootUserWithAHealthCheck() {
    String user = instruction("USER");
    assertNotEquals("root", user);
    assertNotEquals("0", user);
    assertTrue(dockerfile.contains("COPY --from=build /src/target/chat-fat.jar /app/chat-fat.jar"),
        "the jar comes from the build stage");
    Map<String, String> env = dockerfileEnvironment();
    ChatConfig image = ChatConfig.from(confFile(), env);
    String health = instruction("HEALTHCHECK");
    assertTrue(health.contains("/health/ready"), health);
    String port = health.contains("${CHAT_METRICS_PORT}") ? env.get("CHAT_METRICS_PORT") : null;
    assertEquals(String.valueOf(image.metrics().port()), port, "the health check asks the metrics port");
    Set<String> exposed = Set.of(instruction("EXPOSE").split("\\s+"));
    assertTrue(exposed.contains(String.valueOf(image.metrics().port())), "metrics port exposed");
    for (String name : NODES) {
      for (int chatPort : nodeConfig(name).ports()) {
        assertTrue(exposed.contains(String.valueOf(chatPort)), name + "'s chat port is exposed");
      }
      assertEquals(image.metrics().port(), nodeConfig(name).metrics().port(), name + ": the port the health check asks");
    }
    assertTrue(instruction("ENTRYPOINT").contains("\"-conf\", \"/app/conf/config.json\""));
    assertTrue(dockerfile.contains("COPY conf/config.json /app/conf/config.json"));
  }

  @Test
  void theImageIsBuiltFromTheSourcesOnAGlibcBase() {
    List<String> stages = new ArrayList<>();
    Matcher from = Pattern.compile("(?m)^FROM\\s+(.+)$").matcher(dockerfile);
    while (from.find()) {
      stages.add(from.group(1).trim());
    }
    assertEquals(List.of("maven:3.9-eclipse-temurin-17 AS build", "eclipse-temurin:17-jre-noble"), stages);
    String build = dockerfile.substring(dockerfile.indexOf("AS build"), dockerfile.indexOf("FROM eclipse-temurin"));
    assertTrue(build.matches("(?s).*\\nRUN mvn -B -q package [^\\n]*\\n.*"), "the build stage makes the jar: " + build);
    assertFalse(stages.get(1).contains("alpine"), "musl: the jar's glibc epoll library would not load");
  }

  @Test
  void theBuildContextHoldsWhatTheDockerfileCopiesAndNothingElse() {
    assertEquals("*", dockerignore.get(0), "everything is left out unless listed");
    Set<String> sent = new TreeSet<>();
    dockerignore.stream().filter(l -> l.startsWith("!")).forEach(l -> sent.add(l.substring(1)));
    Set<String> copied = new TreeSet<>();
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)").matcher(dockerfile);
    while (copy.find()) {
      copied.add(copy.group(1).split("/")[0]);
    }
    assertEquals(copied, sent, "what the Dockerfile copies from the context, by top-level entry");
    for (String never : List.of(".git", "target", "data", "run")) {
      assertFalse(sent.contains(never), never);
    }
  }

  @Test
  void composeRunsTheMariaDbSeriesTheTestsRunOn() throws Exception {
    JsonObject mariadb = compose.getJsonObject("services").getJsonObject("mariadb");
    String image = mariadb.getString("image");
    assertTrue(image.startsWith("mariadb:"), image);
    Vertx vertx = Vertx.vertx();
    try {
      SqlClient client = MySQLBuilder.client().connectingTo(new MySQLConnectOptions().setHost(TestNode.MYSQL_HOST)
          .setPort(TestNode.MYSQL_PORT).setUser("root").setPassword("")).using(vertx).build();
      String version = TestNode.await(client.query("SELECT VERSION()").execute().eventually(client::close))
          .iterator().next().getString(0);
      assertTrue(version.startsWith(image.substring("mariadb:".length()) + "."),
          "the tests run on MariaDB " + version + ", compose on " + image);
    } finally {
      TestNode.await(vertx.close());
    }
    assertTrue(mariadb.getJsonObject("healthcheck").getJsonArray("test").contains("healthcheck.sh"));
    int files = Integer.parseInt(directive(dockerNginx, "worker_rlimit_nofile"));
    JsonObject nofile = compose.getJsonObject("services").getJsonObject("nginx").getJsonObject("ulimits").getJsonObject("nofile");
    assertTrue(nofile.getInteger("hard") >= files, "nginx may raise its open-file limit to " + files + " without privileges");
  }

  /** The text of a top-level block ({@code stream}, {@code http}) up to its closing brace at the line start. */
  private static String block(String conf, String name) {
    int start = conf.indexOf("\n" + name + " {");
    assertTrue(start >= 0, name + " block");
    int end = conf.indexOf("\n}", start + 1);
    return conf.substring(start, end < 0 ? conf.length() : end);
  }

  /** host:port of each upstream server line. */
  private static Set<String> upstreams(String conf) {
    Set<String> upstream = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\s*server\\s+([\\w.-]+):(\\d+)\\s+([^;]*);").matcher(conf);
    while (m.find()) {
      upstream.add(m.group(1) + ":" + m.group(2));
    }
    return upstream;
  }

  private static String directive(String conf, String name) {
    Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s+(\\S+);").matcher(conf);
    assertTrue(m.find(), name);
    return m.group(1);
  }

  /** The node's configuration as the container builds it: conf/config.json, the image's ENV, the service's. */
  private static ChatConfig nodeConfig(String name) {
    Map<String, String> env = new HashMap<>(dockerfileEnvironment());
    env.putAll(nodeEnvironment(name));
    return ChatConfig.from(confFile(), env);
  }

  private static Map<String, String> nodeEnvironment(String name) {
    Map<String, String> env = new LinkedHashMap<>();
    compose.getJsonObject("services").getJsonObject(name).getJsonObject("environment")
        .forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    assertTrue(env.keySet().stream().allMatch(k -> k.startsWith("CHAT_")), name + ": " + env.keySet());
    return env;
  }

  private static Map<String, String> dockerfileEnvironment() {
    Map<String, String> env = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^ENV\\s+(\\w+)=(\\S+)").matcher(dockerfile);
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
    return env;
  }

  private static JsonObject confFile() {
    try {
      return new JsonObject(Files.readString(Path.of("conf/config.json")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The value of a Dockerfile instruction, continuation lines joined. */
  private static String instruction(String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\s+((?:.*\\\\\\n)*.*)$").matcher(dockerfile);
    assertTrue(m.find(), "the Dockerfile has " + name);
    return m.group(1).replace("\\\n", " ").trim();
  }

  /** The directives of the stream and http sections without comments, addresses and listen ports. */
  private static Set<String> directives(String conf) {
    String stream = conf.substring(conf.indexOf("stream {")).replaceAll("#.*", "");
    Set<String> out = new TreeSet<>();
    for (String statement : stream.split(";")) {
      String s = statement.replaceAll(".*[{}]", "").trim().replaceAll("\\s+", " ");
      if (!s.isEmpty() && !s.startsWith("server ") && !s.startsWith("listen ")) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<String> serverOptions(String conf) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\s*server\\s+\\S+:\\d+\\s+([^;]*);").matcher(conf);
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }
}
