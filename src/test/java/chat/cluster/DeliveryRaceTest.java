package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recipient vanishes in the middle of a stream: every message is delivered or stored. */
class DeliveryRaceTest {
  private static final int MESSAGES = 300;
  private static final int BURST = 100;

  /** Reads {@code count} CHAT_ACKs; adds the stored ones' texts to {@code stored}; returns how many were delivered. */
  private static int collectAcks(TestClient sender, int count, Set<String> stored) {
    int delivered = 0;
    for (int i = 0; i < count; i++) {
      JsonObject ack = sender.expect(14);
      if ("stored".equals(ack.getString("status"))) {
        stored.add("m" + ack.getInteger("seq"));
      } else {
        assertEquals("delivered", ack.getString("status"));
        delivered++;
      }
    }
    return delivered;
  }

  @Test
  void recipientDisconnectsMidStreamAcrossNodes() {
    try (TestCluster cluster = TestCluster.start(2)) {
      TwoUsers pair = TwoUsers.loggedIn(cluster.node(0).connect(), cluster.node(1).connect());

      for (int i = 0; i < MESSAGES; i++) {
        pair.alice().chat(pair.bobId(), "m" + i, i);
      }
      Set<String> received = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        received.add(pair.bob().expect(6).getString("msg"));
      }
      pair.bob().close();
      Set<String> storedOnes = new HashSet<>();
      int delivered = collectAcks(pair.alice(), MESSAGES, storedOnes);
      // keep the stream going, in bursts, until the node has noticed bob is gone
      int sent = MESSAGES;
      while (storedOnes.isEmpty() && sent < 20 * MESSAGES) {
        for (int i = sent; i < sent + BURST; i++) {
          pair.alice().chat(pair.bobId(), "m" + i, i);
        }
        delivered += collectAcks(pair.alice(), BURST, storedOnes);
        sent += BURST;
      }
      assertEquals(sent, delivered + storedOnes.size(), "every message was delivered or stored");
      assertTrue(!storedOnes.isEmpty(), "some messages found bob gone");

      TestClient again = cluster.node(0).connect();
      JsonObject login = TestClient.retryWhileInUse(() -> again.login(pair.bobId(), "pw-bob"));
      assertEquals(0, login.getInteger("errno"), login::encode);
      JsonArray offline = login.getJsonArray("offlinemsg");
      for (int i = 0; i < offline.size(); i++) {
        received.add(new JsonObject(offline.getString(i)).getString("msg"));
      }
      // "delivered" means written to bob's old socket before it closed; every "stored" one must be here
      for (String m : storedOnes) {
        assertTrue(received.contains(m), m + " was acknowledged as stored but is not in the queue");
      }
      again.expectSilence(Duration.ofMillis(300));
      pair.alice().close();
      again.close();
    }
  }
}
