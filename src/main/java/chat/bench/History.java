package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * Conversations with history, for {@code sync}: the key of a pair's conversation, its newest cseq
 * (SYNC's newest page, one entry), and set-up that appends ONE_CHAT_MSGs until it holds enough.
 * Everything here runs on the connections' loop.
 */
final class History {
  /** Chat messages in flight per conversation while history is appended. */
  private static final int IN_FLIGHT = 32;
  private static final String TIME = "2026-01-01 00:00:00";

  private History() {
  }

  /** PROTOCOL.md's name of the one-to-one conversation of two users: smaller id first. */
  static String pairConv(long a, long b) {
    return "p:" + Math.min(a, b) + ":" + Math.max(a, b);
  }

  /** The conversation's newest cseq (0 when it has none yet). */
  static Future<Long> last(BenchConnection c, String conv) {
    return c.request(Messages.object(MsgId.SYNC).put("conv", conv).put("limit", 1).put("seq", "last"))
        .compose(ack -> ack.path("msgid").asInt() == MsgId.SYNC_ACK && ack.path("errno").asInt(-1) == 0
            && ack.path("last").canConvertToLong()
            ? Future.succeededFuture(ack.path("last").asLong())
            : Future.failedFuture("SYNC of " + conv + " failed (does the server speak PROTOCOL.md v2?): " + ack));
  }

  /**
   * Appends messages from {@code from} to {@code to} until their conversation has at least
   * {@code entries}; completes with its newest cseq. Each message asks for a CHAT_ACK ({@code seq}),
   * so set-up knows when everything is committed.
   */
  static Future<Long> fill(BenchConnection from, BenchConnection to, String conv, int entries, String padding) {
    return last(from, conv).compose(last -> {
      int missing = (int) Math.max(0, entries - last);
      if (missing == 0) {
        return Future.succeededFuture(last);
      }
      return Throttle.run(missing, IN_FLIGHT, i -> from.request(chat(from, to, i, padding)).compose(ack ->
              ack.path("msgid").asInt() == MsgId.CHAT_ACK && ack.path("errno").asInt(-1) == 0
                  ? Future.succeededFuture(ack.path("cseq").asLong())
                  : Future.failedFuture("history message to " + conv + " refused: " + ack)))
          .compose(outcome -> outcome.failed() > 0
              ? Future.failedFuture(outcome.firstFailure())
              : last(from, conv));
    });
  }

  private static ObjectNode chat(BenchConnection from, BenchConnection to, int i, String padding) {
    return Messages.object(MsgId.ONE_CHAT).put("id", from.user().id).put("name", from.user().name)
        .put("toid", to.user().id).put("msg", "history " + i + padding).put("time", TIME).put("seq", i);
  }
}
