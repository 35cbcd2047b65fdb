package chat.web;

import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node with a certificate serves the page over https, and the page then speaks wss. */
class WebTlsTest {

  @Test
  void aNodeWithACertificateServesThePageOverHttpsAndThePageUsesWss() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    Vertx vertx = Vertx.vertx();
    try (TestNode node = TestNode.start(vertx, StoreKind.EMBEDDED, new JsonObject()
        .put("tls", new JsonObject().put("certPath", certificate.certificatePath())
            .put("keyPath", certificate.privateKeyPath()))
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())))) {
      try (ChatPage alice = ChatPage.open("https://127.0.0.1:" + node.webPort() + "/", "alice", true);
           TestClient bob = TestClient.connectTls(node.port(), Path.of(certificate.certificatePath()))) {
        long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
        assertEquals("wss:", alice.script("return new URL(window.clusterchat.link.url).protocol;"));
        long bobId = bob.registerAndLogin("bob");
        bob.send(new JsonObject().put("msgid", 7).put("friendid", aliceId).put("seq", "f"));
        bob.expect(11);
        alice.friend(bobId);
        alice.openFriend(bobId);
        alice.send("over wss");
        assertEquals("over wss", bob.expect(6).getString("msg"));
      }
    } finally {
      TestNode.await(vertx.close());
      certificate.delete();
    }
  }
}
