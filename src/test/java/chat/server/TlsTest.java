package chat.server;

import chat.testing.StoreKind;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.TwoUsers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tls.certPath}/{@code tls.keyPath}: a whole session over TLS, checked by a real TLS client. */
@ExtendWith(VertxExtension.class)
class TlsTest {
  private SelfSignedCertificate certificate;
  private TestNode node;

  @BeforeEach
  void start(Vertx vertx) {
    certificate = SelfSignedCertificate.create("localhost");
    node = TestNode.start(vertx, StoreKind.EMBEDDED, new JsonObject().put("tls", new JsonObject()
        .put("certPath", certificate.certificatePath())
        .put("keyPath", certificate.privateKeyPath())));
  }

  @AfterEach
  void stop() {
    node.close();
    certificate.delete();
  }

  @Test
  void registerLoginAndChatOverTls() {
    Path cert = Path.of(certificate.certificatePath());
    try (TestClient alice = TestClient.connectTls(node.port(), cert);
         TestClient bob = TestClient.connectTls(node.port(), cert)) {
      assertNotNull(alice.tlsProtocol());
      assertTrue(alice.tlsProtocol().startsWith("TLSv1."), alice.tlsProtocol());
      TwoUsers pair = TwoUsers.loggedIn(alice, bob);
      alice.chat(pair.bobId(), "encrypted hello", 1);
      JsonObject got = bob.expect(6);
      assertEquals("encrypted hello", got.getString("msg"));
      assertEquals(pair.aliceId(), got.getLong("id"));
      assertEquals("delivered", alice.expect(14).getString("status"));
    }
  }

  @Test
  void plainTextOnATlsPortGetsNoChatAnswer() {
    try (TestClient plain = node.connect()) {
      plain.send(new JsonObject().put("msgid", 20));
      assertTrue(plain.awaitClosed(Duration.ofSeconds(15)), "a plain-text client is cut off, not answered");
    }
  }
}
