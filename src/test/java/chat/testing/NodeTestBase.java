package chat.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

/**
 * Every integration test class runs twice, once per store: a fresh node on a free port for each
 * test, and clients that are closed after it.
 */
@ExtendWith(VertxExtension.class)
@ParameterizedClass(name = "{0} store")
@EnumSource(StoreKind.class)
public abstract class NodeTestBase {
  @Parameter
  protected StoreKind store;
  protected Vertx vertx;
  protected TestNode node;
  private final List<TestClient> clients = new ArrayList<>();

  /** Extra configuration for this class's nodes. */
  protected JsonObject overrides() {
    return new JsonObject();
  }

  @BeforeEach
  void startNode(Vertx vertx) {
    this.vertx = vertx;
    node = TestNode.start(vertx, store, overrides());
  }

  @AfterEach
  void stopNode() {
    clients.forEach(TestClient::close);
    node.close();
  }

  protected TestClient client() {
    TestClient c = node.connect();
    clients.add(c);
    return c;
  }
}
