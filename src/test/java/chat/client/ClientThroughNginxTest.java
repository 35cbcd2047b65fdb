package chat.client;

import chat.testing.TestCluster;
import chat.testing.TestClient;
import chat.testing.TestNginx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The client as users run it, against nginx in front of two nodes: when the node it is on goes
 * away, it reconnects through nginx to whichever node is left and logs in again with its token.
 */
class ClientThroughNginxTest {

  @Test
  void reconnectsThroughNginxToAnotherNode() {
    try (TestCluster cluster = TestCluster.start(2, new JsonObject().put("proxyProtocol", true));
         TestNginx nginx = TestNginx.start(List.of(cluster.node(0).port(), cluster.node(1).port()))) {
      String aliceName = TestClient.uniqueName("alice");
      ClientUnderTest setup = ClientUnderTest.start(nginx.port());
      long a = setup.register(aliceName, "pw-a");
      long b = setup.register(TestClient.uniqueName("bob"), "pw-b");
      setup.close();

      ClientUnderTest alice = ClientUnderTest.start(nginx.port());
      alice.type("login " + a + " pw-a");
      alice.expect("current login user => id:" + a);

      // whichever node alice is on goes away; only node 1 comes back
      cluster.node(0).stopNode();
      cluster.node(1).stopNode();
      alice.expect("lost; reconnecting...");
      cluster.node(1).startNode();
      alice.expect("reconnected as [" + a + "]" + aliceName);

      ClientUnderTest bob = ClientUnderTest.start(nginx.port());
      bob.type("login " + b + " pw-b");
      bob.expect("current login user => id:" + b);
      alice.type("chat:" + b + ":found you again");
      alice.expect("sent to [" + b + "]: delivered");
      bob.expect("[" + a + "]" + aliceName + " said: found you again");
      alice.type("quit");
      assertEquals(0, alice.exitCode());
      bob.close();
      // the generated config fits this machine's open-file limit: no setrlimit alert, no warning
      assertFalse(nginx.errorLog().matches("(?s).*\\[(warn|alert|emerg)].*"), nginx.errorLog());
    }
  }
}
