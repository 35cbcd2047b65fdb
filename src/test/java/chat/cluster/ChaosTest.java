package chat.cluster;

import chat.testing.NodeProcess;
import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import chat.testing.V2;
import chat.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos while pairs chat across two nodes: the senders' node is killed (SIGKILL) mid-stream, the
 * senders move to the other node and resend every message they had no CHAT_ACK for, with its cmid;
 * then Redis is killed and started again under them. In the end every conversation's log holds each
 * message sent exactly once (none lost, none appended twice), numbered without a gap, and every
 * receiver was shown each exactly once, live or caught up by SYNC.
 */
class ChaosTest {
  private static final int PAIRS = 4;
  private static final int MESSAGES = 120;
  /** Messages in flight per sender, as a client that pipelines its sends. */
  private static final int WINDOW = 4;

  /** A sender that resends what it had no CHAT_ACK for, by cmid, after it moved to another node. */
  private static final class Sender {
    final long id;
    final String password;
    final long to;
    final int pair;
    TestClient link;
    int sent;
    final Set<Integer> acked = new HashSet<>();

    Sender(int pair, long id, String password, long to, TestClient link) {
      this.pair = pair;
      this.id = id;
      this.password = password;
      this.to = to;
      this.link = link;
    }

    void send(int k) {
      link.send(new JsonObject().put("msgid", 6).put("toid", to).put("msg", text(k)).put("cmid", cmid(k))
          .put("seq", k));
    }

    String text(int k) {
      return "p" + pair + "-" + k;
    }

    String cmid(int k) {
      return "c" + pair + "-" + k;
    }

    /** Sends up to the window, then takes the acks that came; false once the connection is gone. */
    boolean step(int upTo) {
      while (sent < upTo && sent - acked.size() < WINDOW) {
        send(sent++);
      }
      JsonObject m;
      try {
        m = link.nextWithin(Duration.ofMillis(200));
      } catch (AssertionError closed) {
        // its node is gone: the test moves it
        return false;
      }
      if (m != null && m.getInteger("msgid") == 14) {
        acked.add(Integer.parseInt(m.getValue("seq").toString()));
      }
      return !link.isClosed();
    }
  }

  @Test
  void aKilledNodeAndARestartedRedisLoseNothingAndDoubleNothing() {
    JsonObject config = new JsonObject()
        .put("broker", new JsonObject().put("leaseSeconds", 3))
        .put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messageBurst", 100_000));
    try (TestCluster cluster = TestCluster.start(1, config)) {
      int port = TestNode.freePort();
      JsonObject conf = cluster.joinConfig().put("host", "127.0.0.1").put("ports", new JsonArray().add(port))
          .put("node", new JsonObject().put("id", "doomed"));
      try (NodeProcess doomed = NodeProcess.start(conf, Map.of())) {
        List<Sender> senders = new ArrayList<>();
        List<TestClient> receivers = new ArrayList<>();
        List<Long> receiverIds = new ArrayList<>();
        for (int p = 0; p < PAIRS; p++) {
          TestClient receiver = cluster.node(0).connect();
          long r = receiver.registerAndLogin("receiver" + p);
          TestClient link = TestClient.connect(port);
          long s = link.registerAndLogin("sender" + p);
          senders.add(new Sender(p, s, "pw-sender" + p, r, link));
          receivers.add(receiver);
          receiverIds.add(r);
        }
        // steady chat across the nodes, then the senders' node dies under it
        runUntil(senders, MESSAGES / 3, s -> s.acked.size() < MESSAGES / 3);
        doomed.kill();
        // each sender moves to the surviving node (once the dead one's lease ran out) and resends
        // what it had no ack for, with its cmid, then goes on
        int resent = 0;
        for (Sender s : senders) {
          s.link.close();
          s.link = cluster.node(0).connect();
          TestClient link = s.link;
          JsonObject login = TestClient.retryWhileInUse(() -> link.login(s.id, s.password), Duration.ofSeconds(30));
          assertEquals(0, login.getInteger("errno"), login::encode);
          for (int k = 0; k < s.sent; k++) {
            if (!s.acked.contains(k)) {
              s.send(k);
              resent++;
            }
          }
        }
        System.out.printf("chaos: %d messages had no ack when the senders' node was killed, resent by cmid%n", resent);
        runUntil(senders, 2 * MESSAGES / 3, s -> s.acked.size() < s.sent);
        // Redis dies and comes back while they chat on
        cluster.redis().kill();
        runUntil(senders, 5 * MESSAGES / 6, s -> s.acked.size() < 5 * MESSAGES / 6);
        cluster.redis().startServer();
        runUntil(senders, MESSAGES, s -> s.acked.size() < MESSAGES);

        for (int p = 0; p < PAIRS; p++) {
          Sender s = senders.get(p);
          // what the receiver was shown live: each message at most once
          Set<String> shown = new HashSet<>();
          for (JsonObject m : receivers.get(p).drainUntilQuiet(Duration.ofMillis(1000))) {
            if (m.getInteger("msgid") == 6) {
              assertTrue(shown.add(m.getString("msg")), "shown twice: " + m.encode());
            }
          }
          // the log: each message once, numbered 1, 2, 3 … (resends after the kill that had been
          // appended already were found by their cmid), so SYNC shows the receiver what it missed
          JsonObject page = V2.sync(receivers.get(p), new JsonObject().put("conv", V2.pair(s.id, s.to))
              .put("after", 0).put("limit", 500));
          assertEquals(31, page.getInteger("msgid"), page::encode);
          List<Long> cseqs = V2.cseqs(page);
          assertEquals(MESSAGES, page.getLong("last"), () -> "one entry per message sent: " + cseqs);
          for (int i = 0; i < cseqs.size(); i++) {
            assertEquals(i + 1, cseqs.get(i));
          }
          List<String> log = V2.texts(page);
          List<String> expected = new ArrayList<>();
          for (int k = 0; k < MESSAGES; k++) {
            expected.add(s.text(k));
          }
          assertEquals(MESSAGES, log.size(), "none twice");
          assertEquals(Set.copyOf(expected), Set.copyOf(log), "none lost");
          assertTrue(Set.copyOf(log).containsAll(shown));
        }
        senders.forEach(s -> s.link.close());
        receivers.forEach(TestClient::close);
      }
    }
  }

  /** Steps every sender until none of them {@code goesOn}, sending up to {@code upTo} messages each. */
  private static void runUntil(List<Sender> senders, int upTo, java.util.function.Predicate<Sender> goesOn) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    boolean any = true;
    while (any) {
      assertTrue(System.nanoTime() < deadline, "the chat did not go on within 60 s");
      any = false;
      for (Sender s : senders) {
        if (goesOn.test(s)) {
          any = true;
          if (!s.step(upTo)) {
            Waits.sleep(50);
          }
        }
      }
      if (!any) {
        return;
      }
    }
  }
}
