package chat.cluster;

import chat.config.Limits;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNginx;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped nginx config in front of a real cluster. */
class NginxTest {

  @Test
  void shippedConfigHasWhatTheClusterNeeds() throws Exception {
    String conf = Files.readString(Path.of("nginx/nginx.conf"));
    assertTrue(conf.contains("load_module /usr/lib/nginx/modules/ngx_stream_module.so;"));
    assertTrue(conf.contains("stream {"));
    assertTrue(conf.contains("listen 8000;"));
    assertTrue(conf.contains("tcp_nodelay on;"));
    assertTrue(conf.contains("proxy_protocol on;"), "nodes see the client's address");
    assertTrue(conf.contains("server 127.0.0.1:6000 max_fails=3 fail_timeout=10s;"));
    assertTrue(conf.contains("server 127.0.0.1:6002 max_fails=3 fail_timeout=10s;"));
    Matcher timeout = Pattern.compile("proxy_timeout (\\d+)s;").matcher(conf);
    assertTrue(timeout.find());
    assertTrue(Integer.parseInt(timeout.group(1)) > Limits.DEFAULT_IDLE_SECONDS,
        "nginx must not cut connections the node still considers alive");
  }

  /** The nodes expect the PROXY protocol header that the shipped config makes nginx send. */
  private static final JsonObject BEHIND_NGINX = new JsonObject().put("proxyProtocol", true);

  @Test
  void usersBehindNginxLandOnDifferentNodesAndChat() {
    try (TestCluster cluster = TestCluster.start(2, BEHIND_NGINX);
         TestNginx nginx = TestNginx.start(List.of(cluster.node(0).port(), cluster.node(1).port()));
         TestClient alice = nginx.connect();
         TestClient bob = nginx.connect()) {
      TwoUsers pair = TwoUsers.loggedIn(alice, bob);
      alice.chat(pair.bobId(), "through nginx", 1);
      assertEquals("through nginx", bob.expect(6).getString("msg"));
      assertEquals("delivered", alice.expect(14).getString("status"));
      bob.chat(pair.aliceId(), "and back", 2);
      assertEquals("and back", alice.expect(6).getString("msg"));
    }
  }

  @Test
  void nodesSeeTheClientsAddressThroughNginx() {
    // nginx itself connects from 127.0.0.1 (exempt); its clients come from 127.0.0.2 and 127.0.0.3
    JsonObject strict = BEHIND_NGINX.copy().put("limits", new JsonObject().put("failedLoginsPerMinute", 1)
        .put("exemptNetworks", new JsonArray().add("127.0.0.1/32")));
    try (TestCluster cluster = TestCluster.start(1, strict);
         TestNginx nginx = TestNginx.start(List.of(cluster.node(0).port()));
         TestClient guesser = nginx.connectFrom("127.0.0.2");
         TestClient owner = nginx.connectFrom("127.0.0.3")) {
      long id = owner.register(TestClient.uniqueName("owner"), "right");
      assertEquals(1, guesser.login(id, "wrong").getInteger("errno"));
      guesser.send(new JsonObject().put("msgid", 1).put("id", id).put("password", "right"));
      guesser.expectRefused(2, 107);
      assertEquals(0, owner.login(id, "right").getInteger("errno"), "a client at another address is not limited");
    }
  }

  @Test
  void whenANodeGoesDownClientsReconnectThroughNginxWithTheirToken() {
    try (TestCluster cluster = TestCluster.start(2, BEHIND_NGINX);
         TestNginx nginx = TestNginx.start(List.of(cluster.node(0).port(), cluster.node(1).port()))) {
      TestClient first = nginx.connect();
      long id = first.register(TestClient.uniqueName("roamer"), "pw");
      String token = first.login(id, "pw").getString("token");
      cluster.node(0).stopNode();
      cluster.node(1).stopNode();
      cluster.node(1).startNode();
      first.close();
      // every node this user could have been on was stopped cleanly; node 1 is back
      for (int attempt = 0; attempt < 5; attempt++) {
        try (TestClient again = nginx.connect()) {
          again.send(new JsonObject().put("msgid", 1).put("id", id).put("token", token));
          JsonObject ack = again.expect(2);
          assertEquals(0, ack.getInteger("errno"), ack::encode);
          return;
        } catch (AssertionError | RuntimeException connectionToTheDeadNode) {
          // nginx may try the stopped node first; it then skips it
        }
      }
      throw new AssertionError("could not log in again through nginx");
    }
  }
}
