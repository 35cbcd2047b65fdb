package chat.store.sql;

import chat.config.ChatConfig;
import chat.config.StoreConfig;
import chat.store.ConvId;
import chat.store.LogStore;
import chat.store.Store;
import chat.testing.StoreKind;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An existing deployment (schema version 3, messages waiting in the offline queue) upgrades in
 * place: every stored message becomes a log entry still owed to the users it was stored for, a
 * group message stored for several members becomes one entry, and nobody else is owed anything.
 */
@ExtendWith(VertxExtension.class)
@ParameterizedClass(name = "{0} store")
@EnumSource(StoreKind.class)
class OfflineToLogTest {
  @Parameter
  StoreKind kind;
  private StoreConfig config;
  private Path directory;

  @BeforeEach
  void emptyStore() throws IOException {
    directory = Files.createTempDirectory("chat-migration-");
    JsonObject store = kind == StoreKind.MYSQL
        ? new JsonObject().put("type", "mysql").put("host", TestNode.MYSQL_HOST).put("port", TestNode.MYSQL_PORT)
            .put("database", "chat_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        : new JsonObject().put("type", "embedded").put("path", directory.resolve("chat").toString());
    config = ChatConfig.from(new JsonObject().put("store", store), Map.of()).store();
  }

  @AfterEach
  void dropStore(Vertx vertx) throws IOException {
    if (kind == StoreKind.MYSQL) {
      await(SqlStore.pool(vertx, config, new PoolOptions().setMaxSize(1)).compose(p -> p
          .query("DROP DATABASE IF EXISTS `" + config.database() + "`").execute().eventually(p::close)));
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void theOfflineQueueBecomesEntriesStillOwed(Vertx vertx) {
    Pool old = await(SqlStore.pool(vertx, config, new PoolOptions().setMaxSize(1)));
    await(Migrations.migrate(old, SqlStore.dialect(config), 3));
    long a = user(old, "a");
    long b = user(old, "b");
    long c = user(old, "c");
    long g = await(old.preparedQuery("INSERT INTO chat_groups (name, description, created_at) VALUES (?, ?, ?)")
        .execute(Tuple.of("old group", "d", 1L)).map(SqlStore.dialect(config)::insertedId));
    for (long member : List.of(a, b, c)) {
      await(old.preparedQuery("INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)")
          .execute(Tuple.of(g, member, member == a ? "creator" : "normal")));
    }
    stored(old, b, 10, "{\"msgid\":6,\"id\":" + a + ",\"name\":\"a\",\"toid\":" + b + ",\"msg\":\"one\",\"mid\":101}");
    stored(old, b, 11, "{\"msgid\":6,\"id\":" + a + ",\"name\":\"a\",\"toid\":" + b + ",\"msg\":\"two\",\"mid\":102}");
    stored(old, b, 12, "{\"msgid\":6,\"id\":" + c + ",\"name\":\"c\",\"toid\":" + b + ",\"msg\":\"from c\",\"mid\":103}");
    String groupMessage = "{\"msgid\":10,\"id\":" + a + ",\"name\":\"a\",\"groupid\":" + g + ",\"msg\":\"all\",\"mid\":201}";
    stored(old, b, 13, groupMessage);
    stored(old, c, 13, groupMessage);
    stored(old, b, 14, "{\"msgid\":10,\"id\":" + c + ",\"name\":\"c\",\"groupid\":" + g + ",\"msg\":\"c only to b\","
        + "\"mid\":202}");
    await(old.close());

    Store store = await(SqlStore.open(vertx, config));
    try {
      assertEquals(List.of("one", "two", "from c", "all", "c only to b"), texts(store.log().owed(b, 100), b));
      assertEquals(List.of("all"), texts(store.log().owed(c, 100), c), "c was stored the first group message only");
      assertEquals(List.of(), texts(store.log().owed(a, 100), a), "nothing was stored for a");
      ConvId ab = ConvId.ofUsers(a, b);
      List<LogStore.Entry> pair = await(store.log().after(ab.key(), 0, 10));
      assertEquals(List.of(1L, 2L), pair.stream().map(LogStore.Entry::cseq).toList());
      JsonObject first = new JsonObject(pair.get(0).body());
      assertEquals(ab.key(), first.getString("conv"));
      assertEquals(1, first.getLong("cseq"));
      assertEquals(101, first.getLong("mid"));
      assertEquals(10, first.getLong("ts"), "the time it was stored");
      assertEquals(2, await(store.log().last(ConvId.ofGroup(g).key())), "a message stored twice is one entry");
      boolean queueGone = await(SqlStore.pool(vertx, config, new PoolOptions().setMaxSize(1))
          .compose(p -> p.query("SELECT COUNT(*) FROM offline_messages").execute()
              .transform(ar -> p.close().map(ar.failed()))));
      assertTrue(queueGone, "the offline queue is dropped");
    } finally {
      await(store.close());
    }
  }

  private static long user(Pool pool, String name) {
    await(pool.preparedQuery("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(name, "h", 1L)));
    return await(pool.preparedQuery("SELECT id FROM users WHERE name = ?").execute(Tuple.of(name)))
        .iterator().next().getLong(0);
  }

  private static void stored(Pool pool, long owner, long at, String body) {
    await(pool.preparedQuery("INSERT INTO offline_messages (user_id, body, created_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(owner, body, at)));
  }

  private static List<String> texts(io.vertx.core.Future<List<LogStore.Entry>> owed, long me) {
    return await(owed).stream().filter(e -> e.senderId() != me)
        .map(e -> new JsonObject(e.body()).getString("msg")).toList();
  }
}
