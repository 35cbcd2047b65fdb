package chat.testing;

import chat.config.ChatConfig;
import chat.config.StoreConfig;
import chat.store.Store;
import chat.store.sql.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static chat.testing.TestNode.await;

/**
 * A test of the store alone, run once per store: a node creates the database and schema and is
 * stopped at once; each test gets a Store of its own on them, closed after it.
 */
@ExtendWith(VertxExtension.class)
@ParameterizedClass(name = "{0} store")
@EnumSource(StoreKind.class)
public abstract class StoreTestBase {
  @Parameter
  protected StoreKind kind;
  /** The configuration the Store was opened with, for a test that opens another one. */
  protected StoreConfig config;
  protected Store store;
  protected Vertx vertx;
  private TestNode node;

  /** The connection pool size of the Store. */
  protected abstract int poolSize();

  /** Opens the Store; a test may open it otherwise (with a shorter acquire timeout, say). */
  protected Future<Store> open(Vertx vertx, StoreConfig config) {
    return SqlStore.open(vertx, config);
  }

  @BeforeEach
  void openStore(Vertx vertx) {
    this.vertx = vertx;
    node = TestNode.start(vertx, kind, new JsonObject().put("store", new JsonObject().put("poolSize", poolSize())));
    node.stopNode();
    config = ChatConfig.from(node.configJson(), Map.of()).store();
    store = await(open(vertx, config));
  }

  @AfterEach
  void closeStore() {
    await(store.close());
    node.close();
  }
}
