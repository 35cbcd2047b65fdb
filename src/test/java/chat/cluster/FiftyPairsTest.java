package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 50 pairs chat across nodes at once (the classic server deadlocks on two): every message arrives,
 * in order per pair, and every sender hears "delivered".
 */
class FiftyPairsTest {
  private static final int PAIRS = 50;
  private static final int MESSAGES = 100;

  @Test
  void fiftyPairsAcrossNodesLoseNothingAndKeepOrder() {
    try (TestCluster cluster = TestCluster.start(2)) {
      List<TestClient> senders = new ArrayList<>();
      List<TestClient> receivers = new ArrayList<>();
      List<Long> receiverIds = new ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        TestClient s = cluster.node(0).connect();
        s.registerAndLogin("sender" + i);
        senders.add(s);
        TestClient r = cluster.node(1).connect();
        receiverIds.add(r.registerAndLogin("receiver" + i));
        receivers.add(r);
      }
      List<CompletableFuture<int[]>> pairs = new ArrayList<>();
      for (int p = 0; p < PAIRS; p++) {
        int pair = p;
        pairs.add(CompletableFuture.supplyAsync(() -> runPair(senders.get(pair), receivers.get(pair),
            receiverIds.get(pair))));
      }
      int sent = 0;
      int delivered = 0;
      int stored = 0;
      for (CompletableFuture<int[]> f : pairs) {
        int[] r = f.join();
        sent += r[0];
        delivered += r[1];
        stored += r[2];
      }
      System.out.printf("50-pair run: sent=%d delivered=%d stored=%d lost=%d%n", sent, delivered, stored,
          sent - delivered - stored);
      assertEquals(PAIRS * MESSAGES, sent);
      assertEquals(sent, delivered);
      senders.forEach(TestClient::close);
      receivers.forEach(TestClient::close);
    }
  }

  /** Sends all messages at once, then checks both ends; returns {sent, delivered live, stored}. */
  private static int[] runPair(TestClient sender, TestClient receiver, long receiverId) {
    for (int i = 0; i < MESSAGES; i++) {
      sender.chat(receiverId, "m" + i, i);
    }
    int delivered = 0;
    int stored = 0;
    for (int i = 0; i < MESSAGES; i++) {
      JsonObject ack = sender.expect(14);
      assertEquals(i, ack.getInteger("seq"), "acks in order");
      if ("delivered".equals(ack.getString("status"))) {
        delivered++;
      } else {
        stored++;
      }
    }
    for (int i = 0; i < MESSAGES; i++) {
      assertEquals("m" + i, receiver.expect(6).getString("msg"), "in order per pair");
    }
    return new int[] {MESSAGES, delivered, stored};
  }
}
