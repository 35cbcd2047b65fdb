package chat.web;

import chat.testing.StoreKind;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

/**
 * A node with its web port for each test (the page and /ws), and whatever the test opened on it
 * (browsers, proxies), closed after it.
 */
abstract class WebTestBase {
  Vertx vertx;
  TestNode node;
  final List<AutoCloseable> open = new ArrayList<>();

  /** Extra configuration for this class's nodes. */
  JsonObject overrides() {
    return new JsonObject();
  }

  /** The store of this class's nodes. */
  StoreKind store() {
    return StoreKind.EMBEDDED;
  }

  @BeforeEach
  void startNode() {
    vertx = Vertx.vertx();
    node = TestNode.start(vertx, store(),
        overrides().put("web", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())));
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    node.close();
    TestNode.await(vertx.close());
  }

  /** A browser showing the node's page, closed after the test. */
  ChatPage browser(String who) {
    ChatPage page = ChatPage.open(node.webUrl(), who);
    open.add(page);
    return page;
  }
}
