package chat.cluster;

import chat.testing.TestClient;
import chat.testing.Waits;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One user chatting to another on another node, a message at a time, through a Redis outage or
 * failover: measures how long until messages are delivered live again, and checks that every
 * acknowledged message reached the receiver exactly once, in order.
 */
final class SteadyChat {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private final TestClient sender;
  private final TestClient receiver;
  private final long receiverId;
  private final List<String> acked = new ArrayList<>();

  SteadyChat(TestClient sender, TestClient receiver, long receiverId) {
    this.sender = sender;
    this.receiver = receiver;
    this.receiverId = receiverId;
  }

  /** Sends one message and waits for its CHAT_ACK: its status. */
  String sendOne() {
    String text = "m" + acked.size();
    sender.chat(receiverId, text, acked.size());
    JsonObject ack = sender.expect(14);
    acked.add(text);
    return ack.getString("status");
  }

  void sendDelivered(int count) {
    for (int i = 0; i < count; i++) {
      assertEquals("delivered", sendOne());
    }
  }

  /** Sends messages whatever their status (delivered live, or stored and caught up later). */
  void send(int count) {
    for (int i = 0; i < count; i++) {
      sendOne();
    }
  }

  /**
   * Keeps sending until a message is delivered live again; the seconds from {@code since} (a
   * {@link System#nanoTime}) until that message's CHAT_ACK.
   */
  double secondsUntilDelivered(long since) {
    return secondsUntilDelivered(since, () -> true);
  }

  /** The same, counting only messages delivered once {@code switched} holds (a new master is in place). */
  double secondsUntilDelivered(long since, BooleanSupplier switched) {
    return secondsUntil(since, () -> sendOne().equals("delivered") && switched.getAsBoolean(), "no live delivery again");
  }

  /** Every acknowledged message reached the receiver exactly once, in the order sent. */
  void assertEachArrivedOnceInOrder() {
    List<String> got = new ArrayList<>();
    List<JsonObject> pushes = new ArrayList<>();
    while (got.size() < acked.size()) {
      JsonObject push = receiver.expect(6);
      pushes.add(push);
      got.add(push.getString("msg"));
    }
    assertEquals(acked, got, () -> "pushed: " + pushes);
    receiver.expectSilence(Duration.ofMillis(500));
  }

  int acked() {
    return acked.size();
  }

  /** Tries to log in (Redis must take the claim) until it works: the seconds from {@code since}. */
  static double secondsUntilLogin(TestClient client, long userId, String password, long since) {
    return secondsUntil(since, () -> {
      JsonObject ack = client.login(userId, password);
      assertTrue(ack.getInteger("errno") == 0 || ack.getInteger("errno") == 503, ack::encode);
      return ack.getInteger("errno") == 0;
    }, "no login again");
  }

  /** Asks every 50 ms (at most a minute) until {@code done}: the seconds from {@code since}. */
  static double secondsUntil(long since, BooleanSupplier done, String failure) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, failure + " within " + BOUND);
      Waits.sleep(50);
    }
    return (System.nanoTime() - since) / 1e9;
  }
}
