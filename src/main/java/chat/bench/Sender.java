package chat.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * One sending connection: ONE_CHAT to a user or GROUP_CHAT to a group, each message carrying its
 * stream, sequence number and send time. Closed loop: at most {@code window} messages (times the
 * fan-out, in deliveries) in flight, the next one sent when a delivery comes back. Open loop: a
 * fixed schedule, each message stamped with the time it was due rather than the time it went out,
 * so a server (or bench) that falls behind shows up in the latency instead of hiding it.
 */
final class Sender {
  private final BenchConnection connection;
  private final Meter meter;
  private final int run;
  private final int stream;
  private final int fanOut;
  private final byte[] head;
  private final byte[] tail;
  private final String padding;
  private final int window;
  private final long intervalNanos;
  private long nextSeq;
  private long outstanding;
  private long nextDue;

  private Sender(BenchConnection connection, Meter meter, int stream, int fanOut, String head, Traffic traffic) {
    this.connection = connection;
    this.meter = meter;
    this.run = traffic.run();
    this.stream = stream;
    this.fanOut = fanOut;
    this.head = head.getBytes(StandardCharsets.UTF_8);
    this.tail = "\",\"time\":\"2026-01-01 00:00:00\"}\0".getBytes(StandardCharsets.UTF_8);
    this.padding = traffic.padding();
    this.window = traffic.window();
    this.intervalNanos = traffic.intervalNanos();
  }

  /** ONE_CHAT_MSG to {@code toId}, exactly as the legacy client writes it (no seq: v1 only). */
  static Sender oneChat(BenchConnection c, Meter meter, int stream, long toId, Traffic traffic) {
    BenchUser me = c.user();
    String head = "{\"msgid\":6,\"id\":" + me.id + ",\"name\":" + Json.encode(me.name) + ",\"toid\":" + toId + ",\"msg\":\"";
    return new Sender(c, meter, stream, 1, head, traffic);
  }

  /** GROUP_CHAT_MSG to {@code groupId}, delivered to {@code fanOut} other members. */
  static Sender groupChat(BenchConnection c, Meter meter, int stream, long groupId, int fanOut, Traffic traffic) {
    BenchUser me = c.user();
    String head = "{\"msgid\":10,\"id\":" + me.id + ",\"name\":" + Json.encode(me.name) + ",\"groupid\":" + groupId
        + ",\"msg\":\"";
    return new Sender(c, meter, stream, fanOut, head, traffic);
  }

  int run() {
    return run;
  }

  int stream() {
    return stream;
  }

  /** Closed loop: fills the window. Open loop: sets the first due time (spread by the caller). */
  void start(long firstDue) {
    if (intervalNanos > 0) {
      nextDue = firstDue;
      return;
    }
    for (int i = 0; i < window; i++) {
      send(System.nanoTime());
    }
  }

  /** Open loop: sends whatever is due by now. */
  void tick(long now) {
    while (nextDue <= now && meter.sending(nextDue)) {
      send(nextDue);
      nextDue += intervalNanos;
    }
  }

  /** A receiver got one of our messages (on this sender's loop). */
  void delivered() {
    outstanding--;
    if (intervalNanos == 0 && outstanding + fanOut <= (long) window * fanOut) {
      long now = System.nanoTime();
      if (meter.sending(now)) {
        send(now);
      }
    }
  }

  private void send(long stamp) {
    Buffer frame = Buffer.buffer(head.length + tail.length + 48 + padding.length());
    frame.appendBytes(head);
    Payload.append(frame, run, stream, nextSeq++, stamp, padding);
    frame.appendBytes(tail);
    meter.sent(stamp, fanOut);
    outstanding += fanOut;
    connection.write(frame);
  }
}
