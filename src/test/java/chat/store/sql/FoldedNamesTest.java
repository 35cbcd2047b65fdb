package chat.store.sql;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chat.config.ChatConfig;
import chat.config.PasswordHashing;
import chat.config.StoreConfig;
import chat.security.Argon2;
import chat.testing.StoreKind;
import chat.testing.TempDirs;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.V2;
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
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store from before names were compared folded (schema version 9), where "bob", "Bob" and
 * "ＢＯＢ" are three users, upgrades in place: each keeps their name and logs in by id, a login by
 * the name is the oldest one's, nobody can register it again, FIND_USER still finds all three, and
 * the node's start reports them in one WARN line.
 */
@ExtendWith(VertxExtension.class)
@ParameterizedClass(name = "{0} store")
@EnumSource(StoreKind.class)
class FoldedNamesTest {
  @Parameter
  StoreKind kind;
  private Path directory;
  private JsonObject storeJson;
  private TestNode node;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger usersLog = (Logger) LoggerFactory.getLogger(SqlUsers.class);

  @BeforeEach
  void oldStore(Vertx vertx) {
    directory = TempDirs.create("chat-names-");
    storeJson = kind == StoreKind.MYSQL
        ? new JsonObject().put("type", "mysql").put("host", TestNode.MYSQL_HOST).put("port", TestNode.MYSQL_PORT)
            .put("database", TestNode.throwawayDatabase()).put("user", "root").put("password", "")
        : new JsonObject().put("type", "embedded").put("path", directory.resolve("chat").toString());
    logged.start();
    usersLog.addAppender(logged);
  }

  @AfterEach
  void dropStore(Vertx vertx) {
    usersLog.detachAppender(logged);
    if (node != null) {
      node.close();
    } else if (kind == StoreKind.MYSQL) {
      TestNode.dropDatabase(vertx, storeJson.getString("database"));
    }
    TempDirs.delete(directory);
  }

  @Test
  void usersSharingAFoldedNameFromBeforeKeepItLogInByIdAndAreReported(Vertx vertx) {
    StoreConfig config = ChatConfig.from(new JsonObject().put("store", storeJson), Map.of()).store();
    Pool old = await(SqlStore.pool(vertx, config, new PoolOptions().setMaxSize(1)));
    await(Migrations.migrate(old, SqlStore.dialect(config), 9));
    String hash = new Argon2(new PasswordHashing(8, 1, 1)).hash("pw");
    long bob = user(old, "bob", hash);
    long carol = user(old, "carol", hash);
    long bigBob = user(old, "Bob", hash);
    long wideBob = user(old, "ＢＯＢ", hash);
    long strasse = user(old, "Straße", hash);
    long upperStrasse = user(old, "STRASSE", hash);
    await(old.close());

    node = TestNode.start(vertx, kind, TestNode.cheapPasswordHashing().put("store", storeJson));

    List<String> warnings = new ArrayList<>();
    logged.list.stream().filter(e -> e.getLevel() == Level.WARN).forEach(e -> warnings.add(e.getFormattedMessage()));
    assertEquals(1, warnings.size(), warnings::toString);
    String warning = warnings.get(0);
    assertTrue(warning.startsWith("3 user(s) registered before names became unique"), warning);
    assertTrue(warning.contains(bigBob + " 'Bob' (as " + bob + " 'bob')"), warning);
    assertTrue(warning.contains(wideBob + " 'ＢＯＢ' (as " + bob + " 'bob')"), warning);
    assertTrue(warning.contains(upperStrasse + " 'STRASSE' (as " + strasse + " 'Straße')"), warning);

    // each logs in by id, under the name they registered
    for (long id : List.of(bob, bigBob, wideBob, strasse, upperStrasse, carol)) {
      TestClient c = node.connect();
      JsonObject ack = c.login(id, "pw");
      assertEquals(0, ack.getInteger("errno"), ack::encode);
      assertEquals(id, ack.getLong("id"));
      c.close();
    }
    TestClient c = node.connect();
    try {
      assertEquals("Bob", loginAck(c, bigBob).getString("name"));
      // FIND_USER finds them all, as typed
      JsonObject found = V2.find(c, "BO");
      assertEquals(List.of("bob", "Bob", "ＢＯＢ"), found.getJsonArray("users").stream()
          .map(u -> ((JsonObject) u).getString("name")).toList(), found::encode);
      V2.logout(c);
      // a login by the name is the oldest holder's
      c.send(new JsonObject().put("msgid", 1).put("name", "bOB").put("password", "pw").put("seq", 1));
      assertEquals(bob, c.expect(2).getLong("id"));
      V2.logout(c);
      c.send(new JsonObject().put("msgid", 1).put("name", "strasse").put("password", "pw").put("seq", 2));
      assertEquals(strasse, c.expect(2).getLong("id"));
      // and nobody registers any form of the names again; a new one is free
      for (String taken : List.of("BOB", "ｂｏｂ", "straße", "CAROL")) {
        c.send(new JsonObject().put("msgid", 4).put("name", taken).put("password", "pw").put("seq", taken));
        assertEquals(1, c.expect(5).getInteger("errno"), taken);
      }
      c.send(new JsonObject().put("msgid", 4).put("name", "Dave").put("password", "pw").put("seq", "new"));
      assertEquals(0, c.expect(5).getInteger("errno"));
    } finally {
      c.close();
    }

    // a restart migrates nothing again and reports the same
    logged.list.clear();
    node.stopNode();
    node.startNode();
    assertEquals(1, logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count());
  }

  private static JsonObject loginAck(TestClient c, long id) {
    JsonObject ack = c.login(id, "pw");
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    return ack;
  }

  private static long user(Pool pool, String name, String hash) {
    await(pool.preparedQuery("INSERT INTO users (name, name_folded, password_hash, created_at) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(name, name.toLowerCase(), hash, 1L)));
    return await(pool.preparedQuery("SELECT id FROM users WHERE name = ?").execute(Tuple.of(name)))
        .iterator().next().getLong(0);
  }
}
