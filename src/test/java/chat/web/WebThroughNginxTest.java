package chat.web;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNginx;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client as a cluster serves it: the shipped nginx config's http block in front of two
 * nodes' web ports (and its stream block in front of their chat ports), browsers opening nginx's URL.
 */
class WebThroughNginxTest {

  @Test
  void shippedConfigBalancesThePageAndTheWebSocket() throws Exception {
    String conf = Files.readString(Path.of("nginx/nginx.conf"));
    String http = conf.substring(conf.indexOf("\nhttp {"));
    assertTrue(http.contains("listen 8080;"), "the README's URL");
    assertTrue(http.contains("least_conn;"));
    assertTrue(http.contains("location = /ws {"));
    assertTrue(http.contains("proxy_set_header Upgrade $http_upgrade;"));
    assertTrue(http.contains("proxy_set_header Connection $connection_upgrade;"));
    assertTrue(http.contains("proxy_set_header Host $http_host;"), "the node checks the page's origin against Host");
    assertTrue(http.contains("proxy_set_header X-Forwarded-For $remote_addr;"), "replaced, so a client cannot forge it");
    Matcher timeout = Pattern.compile("proxy_read_timeout (\\d+)s;").matcher(http);
    assertTrue(timeout.find());
    assertTrue(Integer.parseInt(timeout.group(1)) > chat.config.Limits.DEFAULT_IDLE_SECONDS,
        "nginx must not cut WebSockets the node still considers alive");
  }

  @Test
  void browsersAndATcpClientChatThroughNginxAndSurviveANodeGoingAway() throws Exception {
    try (TestCluster cluster = TestCluster.startWithWeb(2, new JsonObject().put("proxyProtocol", true));
         TestNginx nginx = TestNginx.start(
             List.of(cluster.node(0).port(), cluster.node(1).port()),
             List.of(cluster.node(0).webPort(), cluster.node(1).webPort()));
         ChatPage alice = ChatPage.open(nginx.webUrl(), "alice");
         ChatPage bob = ChatPage.open(nginx.webUrl(), "bob");
         TestClient carol = nginx.connect()) {
      // the page comes through nginx compressed
      HttpResponse<byte[]> page = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(nginx.webUrl() + "js/chat.js")).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, page.statusCode());
      assertEquals("gzip", page.headers().firstValue("content-encoding").orElse(""));
      // either node may serve the next request: both tag the file alike, so the browser's copy holds
      List<String> tags = new java.util.ArrayList<>();
      for (int n = 0; n < 2; n++) {
        tags.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.node(n).webPort() + "/js/chat.js")).build(),
            HttpResponse.BodyHandlers.discarding()).headers().firstValue("etag").orElseThrow());
      }
      assertEquals(tags.get(0), tags.get(1), "the same file, the same tag on every node");
      assertEquals(tags.get(0), page.headers().firstValue("etag").orElse(""), "through nginx too");

      PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
      long aliceId = friends.aliceId();
      long bobId = friends.bobId();
      String pair = friends.conv();
      alice.openFriend(bobId);
      alice.send("through nginx 你好 👋");
      bob.openConv(pair);
      bob.message("through nginx 你好 👋");
      bob.type("…");
      alice.typingShown(friends.bobName());
      bob.clearComposer();
      bob.send("and back");
      alice.message("and back");
      alice.statusShown("through nginx 你好 👋", "read");

      // a group across the nodes, and a reload (maybe onto the other node) that keeps the history
      long group = alice.createGroup("nginx 小组", "");
      bob.joinGroup(group);
      alice.membersShown(List.of(aliceId, bobId));
      bob.send("group hello 🌏");
      alice.message("group hello 🌏");
      bob.reload();
      bob.connected();
      bob.openConv("g:" + group);
      bob.message("group hello 🌏");
      bob.openConv(pair);
      assertEquals(List.of("through nginx 你好 👋", "and back"), bob.texts());

      // a TCP user (through the stream block) and a browser user
      long carolId = carol.registerAndLogin("carol");
      carol.send(new JsonObject().put("msgid", 7).put("friendid", aliceId).put("seq", "f"));
      carol.expect(11);
      carol.chat(aliceId, "from a TCP client", "c1");
      carol.expect(14);
      String carolConv = V2.pair(aliceId, carolId);
      alice.openConv(carolConv);
      alice.message("from a TCP client");
      alice.send("hello carol");
      assertEquals("hello carol", carol.expect(6).getString("msg"));

      // both nodes go away and only node 1 comes back: every page reconnects through nginx to it,
      // and what was written meanwhile is sent then
      alice.openConv(pair);
      cluster.node(0).stopNode();
      cluster.node(1).stopNode();
      alice.disconnectedSeen();
      alice.send("while a node was away");
      assertEquals("pending", alice.status("while a node was away"));
      cluster.node(1).startNode();
      alice.connected();
      bob.connected();
      bob.message("while a node was away");
      bob.send("still here");
      alice.message("still here");
      alice.statusShown("while a node was away", "read");
      assertEquals(List.of("and back", "still here", "through nginx 你好 👋", "while a node was away"),
          alice.texts().stream().sorted().toList(), "each once");
      assertFalse(nginx.errorLog().matches("(?s).*\\[(alert|emerg)].*"), nginx.errorLog());
    }
  }
}
