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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short `bench one` run in-process against a real node: every message arrives once, in order. */
@ExtendWith(VertxExtension.class)
class BenchSmokeTest {

  @Test
  void oneToOneLosesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject limits = new JsonObject().put("limits", new JsonObject()
        .put("messagesPerSecond", 10_000_000).put("messageBurst", 10_000_000));
    try (TestNode node = TestNode.start(vertx, StoreKind.EMBEDDED, limits)) {
      Path out = dir.resolve("one.json");
      int code = BenchCommand.execute("one", "--port", Integer.toString(node.port()), "--pairs", "4",
          "--warmup", "1", "--duration", "2", "--drain", "10", "--loops", "2",
          "--users", dir.resolve("users.jsonl").toString(), "--out", out.toString());
      assertEquals(0, code);
      JsonObject figures = new JsonObject(Files.readString(out)).getJsonObject("figures");
      assertTrue(figures.getLong("sent") > 0, figures::encode);
      assertEquals(figures.getLong("sent"), figures.getLong("delivered"), figures::encode);
      assertEquals(0L, figures.getLong("lost"), figures::encode);
      assertEquals(0L, figures.getLong("duplicated"), figures::encode);
      assertEquals(0L, figures.getLong("outOfOrder"), figures::encode);
      assertEquals(0L, figures.getLong("errors"), figures::encode);
      assertEquals(8, Files.readAllLines(dir.resolve("users.jsonl")).size(), "the users file keeps the accounts");
    }
  }
}
