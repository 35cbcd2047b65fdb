package chat.server;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that never reads: once its write queue is full, messages to it are stored instead of
 * piling up in the node's memory, stored ones are not pushed into the full queue either, and after
 * {@code limits.slowReaderSeconds} the node cuts it off. Nothing is lost.
 */
class SlowReaderTest extends NodeTestBase {
  // 12 MB: more than the kernel buffers of one connection can hold (tcp_wmem allows 4 MiB here)
  private static final int MESSAGES = 400;
  private static final String BULK = "x".repeat(30_000);

  @Override
  protected JsonObject overrides() {
    // one session per user: the second login is refused until the node has cut the stuck one off
    return new JsonObject().put("limits", new JsonObject().put("slowReaderSeconds", 2).put("maxTextChars", 40_000)
        .put("maxFrameBytes", 100_000).put("messagesPerSecond", 1_000_000).put("messageBurst", 1_000_000))
        .put("sessions", new JsonObject().put("maxPerUser", 1));
  }

  @Test
  void aClientThatNeverReadsIsCutOffAndLosesNothing() throws IOException {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    long bob = alice.register(TestClient.uniqueName("bob"), "pw");
    try (Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(8192);
      stuck.connect(new InetSocketAddress("127.0.0.1", node.port()));
      stuck.getOutputStream().write(("{\"msgid\":1,\"id\":" + bob + ",\"password\":\"pw\",\"seq\":0}\0")
          .getBytes(StandardCharsets.UTF_8));
      alice.chat(bob, "first", "first");
      alice.expect(14);

      int stored = 0;
      for (int i = 0; i < MESSAGES; i++) {
        alice.chat(bob, i + " " + BULK, i);
      }
      for (int i = 0; i < MESSAGES; i++) {
        if ("stored".equals(alice.expect(14).getString("status"))) {
          stored++;
        }
      }
      assertTrue(stored > 0, "once the reader's queue is full, messages are stored rather than buffered");

      // cut off after slowReaderSeconds (reading now would make it a reader again): the user is free
      // once the node has closed that connection
      TestClient again = client();
      JsonObject login = TestClient.retryWhileInUse(() -> again.login(bob, "pw"), Duration.ofSeconds(15));
      assertEquals(0, login.getInteger("errno"), login::encode);

      // what had got out is still there to read, then the end (the last line may be cut short: its
      // write failed, so that message is still owed)
      Set<Integer> received = new HashSet<>();
      stuck.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
      String all = new String(stuck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      for (String line : all.substring(0, all.lastIndexOf('\n') + 1).split("\n")) {
        if (!line.isEmpty()) {
          received.addAll(numbers(new JsonObject(line)));
        }
      }

      JsonArray offline = login.getJsonArray("offlinemsg");
      for (int i = 0; i < offline.size(); i++) {
        received.addAll(numbers(new JsonObject(offline.getString(i))));
      }
      while (received.size() < MESSAGES) {
        received.addAll(numbers(again.expect(6)));
      }
      assertEquals(MESSAGES, received.size(), "every message arrived, live before the cut or stored after");
    }
  }

  /** The numbers of the bulk messages in a line: a chat message, or the login reply's stored ones. */
  private static Set<Integer> numbers(JsonObject line) {
    Set<Integer> found = new HashSet<>();
    if (line.getInteger("msgid") == 2) {
      line.getJsonArray("offlinemsg").forEach(m -> found.addAll(numbers(new JsonObject((String) m))));
      return found;
    }
    String msg = line.getString("msg", "");
    if (msg.endsWith(BULK)) {
      found.add(Integer.parseInt(msg.substring(0, msg.indexOf(' '))));
    }
    return found;
  }
}
