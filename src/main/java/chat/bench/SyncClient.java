package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One connection reading its conversation's history with SYNC, page after page: {@code after} a
 * cseq {@code behind} entries before the newest (a client catching up) and/or {@code before} a
 * random cseq (a client scrolling back), {@code limit} entries each. Closed loop: {@code window}
 * requests in flight, the next sent when an answer comes. Open loop: one every
 * {@code intervalNanos}, latency from when it was due. Every page is checked against what the log
 * holds (nobody writes to it meanwhile): the right count, consecutive cseqs from the right one, the
 * right {@code last} and {@code more}. Runs on the connection's loop.
 */
final class SyncClient {
  /** Which pages a client asks for. */
  enum Pages { AFTER, BEFORE, MIXED }

  /** What every client of a run does. */
  record Plan(Pages pages, int limit, int behind, int window, long intervalNanos) {
  }

  private final BenchConnection connection;
  private final String conv;
  private final long last;
  private final Plan plan;
  private final SyncMeter meter;
  private long nextSeq;
  private long nextDue;

  SyncClient(BenchConnection connection, String conv, long last, Plan plan, SyncMeter meter) {
    this.connection = connection;
    this.conv = conv;
    this.last = last;
    this.plan = plan;
    this.meter = meter;
  }

  /** Closed loop: fills the window. Open loop: sets the first due time. */
  void start(long firstDue) {
    if (plan.intervalNanos() > 0) {
      nextDue = firstDue;
      return;
    }
    for (int i = 0; i < plan.window(); i++) {
      send(System.nanoTime());
    }
  }

  /** Open loop: sends whatever is due by now. */
  void tick(long now) {
    while (nextDue <= now && meter.sending(nextDue)) {
      send(nextDue);
      nextDue += plan.intervalNanos();
    }
  }

  private void send(long stamp) {
    long seq = nextSeq++;
    boolean after = plan.pages() == Pages.AFTER || (plan.pages() == Pages.MIXED && (seq & 1) == 0);
    ObjectNode request = Messages.object(MsgId.SYNC).put("conv", conv).put("limit", plan.limit()).put("seq", seq);
    long position;
    if (after) {
      position = Math.max(0, last - plan.behind());
      request.put("after", position);
    } else {
      // a full page when the log has one: before somewhere in (limit, last + 1]
      long low = Math.min(plan.limit() + 1L, last + 1);
      position = low + ThreadLocalRandom.current().nextLong(last + 2 - low);
      request.put("before", position);
    }
    meter.requested();
    connection.request(request).onComplete(reply -> {
      long now = System.nanoTime();
      if (reply.failed() && meter.stopped()) {
        return; // closed by the bench after the drain: counted as unanswered
      }
      if (reply.failed()) {
        meter.bad("SYNC of " + conv + " failed: " + reply.cause().getMessage());
      } else {
        String wrong = check(reply.result(), seq, after, position);
        if (wrong == null) {
          JsonNode msgs = reply.result().get("msgs");
          int changed = 0;
          for (JsonNode m : msgs) {
            changed += m.path("msgid").asInt() == MsgId.CHANGED ? 1 : 0;
          }
          meter.answered(stamp, now, after, msgs.size(), changed);
        } else {
          meter.bad("SYNC " + (after ? "after " : "before ") + position + " of " + conv + ": " + wrong);
        }
      }
      if (plan.intervalNanos() == 0 && meter.sending(now) && !connection.isClosed()) {
        send(now);
      }
    });
  }

  /** What is wrong with the answer, or null when it is exactly the page the log holds. */
  private String check(ObjectNode ack, long seq, boolean after, long position) {
    if (ack.path("msgid").asInt() != MsgId.SYNC_ACK || ack.path("errno").asInt(-1) != 0) {
      return "answered " + ack;
    }
    if (ack.path("seq").asLong(-1) != seq) {
      return "answer to seq " + ack.path("seq") + " came for seq " + seq + " (answers out of request order)";
    }
    if (!conv.equals(ack.path("conv").textValue()) || ack.path("last").asLong(-1) != last) {
      return "conv " + ack.path("conv") + " last " + ack.path("last") + ", expected " + conv + " last " + last;
    }
    JsonNode msgs = ack.get("msgs");
    if (msgs == null || !msgs.isArray()) {
      return "no msgs array";
    }
    long first = after ? position + 1 : Math.max(1, position - plan.limit());
    long end = after ? Math.min(last, position + plan.limit()) : position - 1;
    long expected = Math.max(0, end - first + 1);
    if (msgs.size() != expected) {
      return msgs.size() + " entries, expected " + expected;
    }
    for (int i = 0; i < msgs.size(); i++) {
      JsonNode m = msgs.get(i);
      if (m.path("cseq").asLong(-1) != first + i || !conv.equals(m.path("conv").textValue())) {
        return "entry " + i + " is cseq " + m.path("cseq") + " of " + m.path("conv") + ", expected " + (first + i);
      }
    }
    boolean more = expected > 0 && (after ? end < last : first > 1);
    if (ack.path("more").asBoolean(!more) != more) {
      return "more " + ack.path("more") + ", expected " + more;
    }
    return null;
  }
}
