package chat.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A password LOGIN that a node (on MariaDB) has taken and cannot finish until the test lets it: a
 * {@code LOCK TABLES users WRITE} on another connection holds its read of the password hash. It
 * keeps its place in the node's login lane meanwhile, so with {@code admission.loginsInFlight} 1
 * every other login is turned away at once (503 with a retry hint), for as long as the test wants
 * and no longer: no timing involved. {@link #release} unlocks and waits for the held login's
 * success.
 */
public final class HeldLogin implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final MySQLConnection lock;
  private final TestClient client;
  private boolean released;

  private HeldLogin(MySQLConnection lock, TestClient client) {
    this.lock = lock;
    this.client = client;
  }

  /**
   * Locks the users table of {@code node}'s database, sends a LOGIN of user {@code id} and returns
   * once MariaDB shows that login's query waiting for the lock: the login is in the lane.
   */
  public static HeldLogin hold(Vertx vertx, TestNode node, long id, String password) {
    String database = node.configJson().getJsonObject("store").getString("database");
    MySQLConnectOptions options = new MySQLConnectOptions().setHost(TestNode.MYSQL_HOST).setPort(TestNode.MYSQL_PORT)
        .setUser("root").setPassword("").setDatabase(database);
    MySQLConnection lock = TestNode.await(MySQLConnection.connect(vertx, options));
    TestNode.await(lock.query("LOCK TABLES users WRITE").execute());
    TestClient client = TestClient.connect(node.port());
    client.send(new JsonObject().put("msgid", 1).put("id", id).put("password", password).put("seq", "held"));
    SqlClient watcher = MySQLBuilder.client().connectingTo(options).using(vertx).build();
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      while (TestNode.await(watcher
          .preparedQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?"
              + " AND STATE LIKE 'Waiting for table%' AND INFO LIKE '%password_hash%'")
          .execute(Tuple.of(database))).iterator().next().getLong(0) == 0) {
        if (System.nanoTime() > deadline) {
          TestNode.await(lock.close());
          client.close();
          throw new AssertionError("the login did not reach the store within " + WAIT.toSeconds() + " s");
        }
        Waits.sleep(20);
      }
    } finally {
      TestNode.await(watcher.close());
    }
    return new HeldLogin(lock, client);
  }

  /** Unlocks the table; returns once the held login has succeeded (and so left the lane). */
  public void release() {
    if (!released) {
      released = true;
      TestNode.await(lock.query("UNLOCK TABLES").execute());
      JsonObject ack = client.expect(2);
      assertEquals(0, ack.getInteger("errno"), ack::encode);
    }
  }

  @Override
  public void close() {
    if (!released) {
      released = true;
      TestNode.await(lock.query("UNLOCK TABLES").execute());
    }
    TestNode.await(lock.close());
    client.close();
  }
}
