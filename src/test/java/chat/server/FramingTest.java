package chat.server;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The framing rules of PROTOCOL.md over a real socket. */
class FramingTest extends NodeTestBase {

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("limits", new JsonObject().put("maxFrameBytes", 4096).put("idleSeconds", 2)
        .put("frameSeconds", 1));
  }

  @Test
  void twoObjectsInOneWriteWithNul() {
    TestClient c = client();
    c.sendRaw("{\"msgid\":20,\"seq\":1}\0{\"msgid\":20,\"seq\":2}\0");
    assertEquals(1, c.expect(21).getInteger("seq"));
    assertEquals(2, c.expect(21).getInteger("seq"));
  }

  @Test
  void twoObjectsWithNoSeparatorAndWithNewlines() {
    TestClient c = client();
    c.sendRaw("{\"msgid\":20,\"seq\":1}{\"msgid\":20,\"seq\":2}\n{\"msgid\":20,\"seq\":3}\r\n");
    for (int i = 1; i <= 3; i++) {
      assertEquals(i, c.expect(21).getInteger("seq"));
    }
  }

  @Test
  void oneObjectSplitByteByByte() throws Exception {
    TestClient c = client();
    byte[] bytes = "{\"msgid\":20,\"seq\":\"\u00e9\ud83d\ude00\"}\0".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      c.sendRaw(new byte[] {b});
      Thread.sleep(2);
    }
    assertEquals("\u00e9\ud83d\ude00", c.expect(21).getString("seq"));
  }

  @Test
  void loginAndChatPipelinedInOneWriteAreHandledInOrder() {
    TestClient bob = client();
    long b = bob.registerAndLogin("bob");
    TestClient alice = client();
    long a = alice.register(TestClient.uniqueName("alice"), "pw");
    alice.sendRaw("{\"msgid\":1,\"id\":" + a + ",\"password\":\"pw\"}\0"
        + "{\"msgid\":6,\"toid\":" + b + ",\"msg\":\"first\",\"seq\":1}\0"
        + "{\"msgid\":6,\"toid\":" + b + ",\"msg\":\"second\",\"seq\":2}\0");
    assertEquals(0, alice.expect(2).getInteger("errno"));
    assertEquals("first", bob.expect(6).getString("msg"));
    assertEquals("second", bob.expect(6).getString("msg"));
  }

  @Test
  void garbageIsError100ThenCloseAfterEarlierRequestsWereHandled() {
    TestClient c = client();
    c.sendRaw("{\"msgid\":20,\"seq\":1}\0this is not json");
    assertEquals(1, c.expect(21).getInteger("seq"));
    c.expectError(100);
    assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void answersToRequestsBeforeBadInputLeaveFirstInOrder() {
    TestClient c = client();
    c.registerAndLogin("sender");
    long offline = client().register(TestClient.uniqueName("offline"), "pw");
    c.sendRaw("{\"msgid\":6,\"toid\":1000000000000,\"msg\":\"hi\",\"seq\":\"c1\"}\n"
        + "{\"msgid\":6,\"toid\":" + offline + ",\"msg\":\"hi\",\"seq\":\"c2\"}\n"
        + "{\"msgid\":20,\"x\":NaN}\n");
    JsonObject unknown = c.expectError(106);
    assertEquals("c1", unknown.getString("seq"));
    assertEquals(6, unknown.getInteger("re"));
    JsonObject stored = c.expect(14);
    assertEquals("c2", stored.getString("seq"));
    assertEquals("stored", stored.getString("status"));
    c.expectError(100);
    assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void aTrickleOfBytesIsNoActivity() {
    TestClient c = client();
    trickle(c, " ");
    assertTrue(c.awaitClosed(Duration.ofSeconds(3)), "closed although a space came every 300 ms");
  }

  @Test
  void aRequestMustArriveWholeWithinFrameSeconds() {
    TestClient c = client();
    c.sendRaw("{\"msgid\":20,");
    trickle(c, "\"a\":1,");
    assertTrue(c.awaitClosed(Duration.ofSeconds(3)), "closed although the frame kept growing");
  }

  /** Sends {@code text} every 300 ms for up to 6 s, until the node closes the connection. */
  private static void trickle(TestClient c, String text) {
    for (int i = 0; i < 20 && !c.isClosed(); i++) {
      try {
        c.sendRaw(text);
      } catch (java.io.UncheckedIOException closed) {
        return;
      }
      chat.testing.Waits.sleep(300);
    }
  }

  @Test
  void jsonThatIsNotAnObjectIsError100() {
    TestClient c = client();
    c.sendRaw("[1,2,3]\0");
    c.expectError(100);
    assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void oversizedFrameIsError101ThenClose() {
    TestClient c = client();
    c.sendRaw("{\"msgid\":6,\"msg\":\"" + "x".repeat(10_000) + "\"}\0");
    c.expectError(101);
    assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void endlessFrameIsCutAtTheLimit() {
    TestClient c = client();
    // one write: the node cuts the frame at 4 KiB and closes, so a later write could find the
    // socket already closed by our own reader
    c.sendRaw("{\"msgid\":6,\"msg\":\"" + "y".repeat(10_000));
    c.expectError(101);
    assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
  }

  @Test
  void idleConnectionIsClosedButPingKeepsItAlive() throws Exception {
    TestClient idle = client();
    TestClient pinging = client();
    for (int i = 0; i < 6; i++) {
      pinging.send(new JsonObject().put("msgid", 20));
      pinging.expect(21);
      Thread.sleep(700);
    }
    assertTrue(idle.awaitClosed(Duration.ofSeconds(1)), "idle for over 2 s");
    assertTrue(!pinging.isClosed());
  }

  @Test
  void survivesAFloodOfMalformedConnections() {
    List<TestClient> attackers = new ArrayList<>();
    byte[] junk = new byte[3000];
    new java.util.Random(42).nextBytes(junk);
    for (int i = 0; i < 200; i++) {
      TestClient a = node.connect();
      attackers.add(a);
      switch (i % 4) {
        case 0 -> a.sendRaw(junk);
        case 1 -> a.sendRaw("{\"msgid\":" + "[".repeat(2000));
        case 2 -> a.sendRaw("{\"msgid\":6,\"msg\":\"" + "z".repeat(5000));
        default -> a.sendRaw("\0\0\0{\"msgid\":\"1\"}\0{}\0{\"msgid\":1e400}\0");
      }
    }
    for (TestClient a : attackers) {
      a.close();
    }
    TestClient good = client();
    long id = good.registerAndLogin("survivor");
    assertTrue(id > 0);
    good.send(new JsonObject().put("msgid", 20).put("seq", 1));
    good.expect(21);
  }

  @Test
  void aNumericSeqIsEchoedAsTheTokenSent() throws Exception {
    String[] seqs = {"1e309", "1E2", "1.0000000000000001", "-0"};
    try (Socket socket = new Socket("127.0.0.1", node.port());
         BufferedReader in = new BufferedReader(
             new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      for (String seq : seqs) {
        socket.getOutputStream().write(("{\"msgid\":20,\"seq\":" + seq + "}\0").getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"msgid\":21,\"seq\":" + seq + "}", in.readLine());
      }
    }
  }
}
