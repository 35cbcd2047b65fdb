package chat.bench;

import chat.testing.StoreKind;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short bench runs in-process against a real node: every message arrives once, in order. */
@ExtendWith(VertxExtension.class)
class BenchSmokeTest {
  private static final JsonObject NO_RATE_LIMIT = new JsonObject().put("limits", new JsonObject()
      .put("messagesPerSecond", 10_000_000).put("messageBurst", 10_000_000));

  @Test
  void oneToOneLosesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(vertx, StoreKind.EMBEDDED, NO_RATE_LIMIT)) {
      JsonObject figures = run(node, dir, "one", "--pairs", "4");
      assertAllDelivered(figures);
      List<String> users = Files.readAllLines(dir.resolve("users.jsonl"));
      assertEquals(8, users.size(), "the users file keeps the accounts");
      for (String user : users) {
        assertTrue(new JsonObject(user).containsKey("token"), "LOGIN with seq is no legacy session: it gets a token");
      }
    }
  }

  /** Logged in as the classic client does (no seq): one-to-one, and groups formed before the legacy logins. */
  @Test
  void legacySessionsLoseNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(vertx, StoreKind.EMBEDDED, NO_RATE_LIMIT)) {
      assertAllDelivered(run(node, dir, "one", "--pairs", "4", "--legacy"));
      JsonObject group = run(node, dir, "group", "--groups", "2", "--members", "3", "--window", "2", "--legacy");
      assertAllDelivered(group);
      assertEquals(2 * group.getLong("sent"), group.getLong("delivered"), group::encode);
    }
  }

  private static JsonObject run(TestNode node, Path dir, String scenario, String... options) throws Exception {
    Path out = dir.resolve(scenario + ".json");
    List<String> args = new ArrayList<>(List.of(scenario, "--port", Integer.toString(node.port()),
        "--warmup", "1", "--duration", "2", "--drain", "10", "--loops", "2",
        "--users", dir.resolve("users.jsonl").toString(), "--out", out.toString()));
    args.addAll(List.of(options));
    assertEquals(0, BenchCommand.execute(args.toArray(String[]::new)));
    JsonObject result = new JsonObject(Files.readString(out));
    assertEquals(List.of(options).contains("--legacy"), result.getJsonObject("settings").getBoolean("legacy"));
    return result.getJsonObject("figures");
  }

  private static void assertAllDelivered(JsonObject figures) {
    assertTrue(figures.getLong("sent") > 0, figures::encode);
    assertEquals(figures.getLong("expectedDeliveries"), figures.getLong("delivered"), figures::encode);
    assertEquals(0L, figures.getLong("lost"), figures::encode);
    assertEquals(0L, figures.getLong("duplicated"), figures::encode);
    assertEquals(0L, figures.getLong("outOfOrder"), figures::encode);
    assertEquals(0L, figures.getLong("errors"), figures::encode);
  }
}
