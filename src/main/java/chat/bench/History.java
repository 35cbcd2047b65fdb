package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * Conversations with history, for {@code sync}: the key of a pair's conversation, its newest cseq
 * (SYNC's newest page, one entry), and set-up that appends ONE_CHAT_MSGs (and edits and recalls of
 * them, when asked) until it holds enough. Everything here runs on the connections' loop.
 */
final class History {
  /** Chat messages in flight per conversation while history is appended. */
  private static final int IN_FLIGHT = 32;
  /** Entries appended at once: their messages, then the changes of some of them. */
  private static final int BLOCK = 100;
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
   * Appends entries from {@code from} to {@code to} until their conversation has at least
   * {@code entries}; completes with its newest cseq. Of every 100 entries appended,
   * {@code changesPer100} are edits and recalls (in turn) of the block's own messages, after them.
   * Each entry asks for a CHAT_ACK ({@code seq}), so set-up knows when everything is committed.
   */
  static Future<Long> fill(BenchConnection from, BenchConnection to, String conv, int entries, int changesPer100,
                           String padding) {
    return last(from, conv).compose(last -> last >= entries ? Future.succeededFuture(last)
        : block(from, to, conv, (int) Math.min(BLOCK, entries - last), changesPer100, padding)
            .compose(v -> fill(from, to, conv, entries, changesPer100, padding)));
  }

  /** Appends {@code size} entries: the messages first, then the changes of some of them. */
  private static Future<Void> block(BenchConnection from, BenchConnection to, String conv, int size, int changesPer100,
                                    String padding) {
    int changes = size * changesPer100 / BLOCK;
    return Throttle.run(size - changes, IN_FLIGHT, i -> acked(from, conv, chat(from, to, i, padding)))
        .compose(messages -> messages.failed() > 0 ? Future.failedFuture(messages.firstFailure())
            : Throttle.run(changes, IN_FLIGHT, i -> acked(from, conv, change(conv, messages.results().get(i), i, padding))))
        .compose(done -> done.failed() > 0 ? Future.failedFuture(done.firstFailure()) : Future.succeededFuture());
  }

  /** The cseq the entry got, once it is committed. */
  private static Future<Long> acked(BenchConnection from, String conv, ObjectNode request) {
    return from.request(request).compose(ack ->
        ack.path("msgid").asInt() == MsgId.CHAT_ACK && ack.path("errno").asInt(-1) == 0
            ? Future.succeededFuture(ack.path("cseq").asLong())
            : Future.failedFuture("history entry of " + conv + " refused: " + ack));
  }

  /** The i-th change of a block: an edit of message {@code target} for even i, a recall for odd i. */
  private static ObjectNode change(String conv, long target, int i, String padding) {
    ObjectNode change = Messages.object(i % 2 == 0 ? MsgId.EDIT : MsgId.RECALL).put("conv", conv).put("target", target)
        .put("seq", "change " + i);
    return i % 2 == 0 ? change.put("msg", "edited " + i + padding) : change;
  }

  private static ObjectNode chat(BenchConnection from, BenchConnection to, int i, String padding) {
    return Messages.object(MsgId.ONE_CHAT).put("id", from.user().id).put("name", from.user().name)
        .put("toid", to.user().id).put("msg", "history " + i + padding).put("time", TIME).put("seq", i);
  }
}
