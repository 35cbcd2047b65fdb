package chat.service;

import chat.delivery.Router;
import chat.log.Appender;
import chat.log.CursorBook;
import chat.protocol.ChatException;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.session.Outbound;
import chat.session.Session;
import chat.store.ConvId;
import chat.store.LogStore;
import chat.store.User;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ONE_CHAT and GROUP_CHAT: persist first, push second. The message is appended to its
 * conversation's log (and committed) before anyone hears of it, then pushed to the recipients'
 * sessions; what they do not take stays owed. It is forwarded as sent, except that the server sets
 * who sent it ({@code id}, {@code name}), the checked text, its place ({@code conv}, {@code cseq}),
 * a message id, its time ({@code ts}, and {@code time} if missing); {@code seq} and {@code cmid}
 * belong to the sender. A resend with a cmid already appended is answered with the first CHAT_ACK.
 */
final class ChatService {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** Message ids stay below 2^53 so that JavaScript clients read them exactly. */
  private static final long MID_BOUND = 1L << 53;
  static final int MAX_CMID_CHARS = 64;

  private final Appender appender;
  private final Router router;
  private final CursorBook cursors;
  private final LogStore log;
  private final Guards guards;
  private final int maxTextChars;

  ChatService(Services services, Guards guards) {
    this.appender = services.appender();
    this.router = services.router();
    this.cursors = services.cursors();
    this.log = services.store().log();
    this.guards = guards;
    this.maxTextChars = services.limits().maxTextChars();
  }

  Future<Void> oneChat(Session session, Request request, Reply reply) {
    long to = request.id("toid");
    String text = request.chatText("msg", maxTextChars);
    String cmid = cmid(request);
    User me = session.user();
    if (to == me.id()) {
      throw ChatException.badRequest("toid is your own id: a conversation is between two users");
    }
    // once the recipient is known and the node has room, the message takes its place in the log's
    // queue: the next request may start, it cannot overtake this one
    return guards.userExists(to).compose(v -> appender.room()).map(v -> {
      ConvId conv = ConvId.ofUsers(me.id(), to);
      appender.append(append(me, conv, request, text, cmid, List.of(to)))
          .compose(appended -> deliver(session, appended, List.of(to)))
          .onComplete(outcome -> answer(reply, request, outcome, false));
      return null;
    });
  }

  Future<Void> groupChat(Session session, Request request, Reply reply) {
    long group = request.id("groupid");
    String text = request.chatText("msg", maxTextChars);
    String cmid = cmid(request);
    User me = session.user();
    return guards.membersFor(group, me.id()).compose(members -> appender.room().map(members)).map(members -> {
      List<Long> others = new ArrayList<>(members);
      others.remove(me.id());
      appender.append(append(me, ConvId.ofGroup(group), request, text, cmid, others))
          .compose(appended -> deliver(session, appended, others))
          .onComplete(outcome -> answer(reply, request, outcome, true));
      return null;
    });
  }

  /**
   * The committed message, pushed to its recipients and to the sender's sessions (the one that sent
   * it takes its place); a resend of one appended before is not pushed again.
   */
  private Future<Outcome> deliver(Session session, LogStore.Appended appended, List<Long> recipients) {
    LogStore.Entry entry = appended.entry();
    if (appended.duplicate()) {
      // the first one's answer: how far its recipients' sessions got, as their cursors say
      return cursors.flush(recipients)
          .compose(v -> log.reached(recipients, entry.conv(), entry.cseq()))
          .map(reached -> new Outcome(entry, reached, recipients.size() - reached));
    }
    cursors.read(entry.senderId(), entry.conv(), entry.cseq());
    return router.push(recipients, Outbound.sent(entry, session.id()))
        .map(missed -> new Outcome(entry, recipients.size() - missed.size(), missed.size()));
  }

  /** How a message went: its entry, and how many recipients' sessions took it or not. */
  private record Outcome(LogStore.Entry entry, int delivered, int owed) {
  }

  /** The CHAT_ACK, when owed (with counts for a group). */
  private static void answer(Reply reply, Request request, AsyncResult<Outcome> outcome, boolean group) {
    if (outcome.failed()) {
      reply.fail(outcome.cause());
      return;
    }
    Outcome o = outcome.result();
    ObjectNode ack = Messages.ack(MsgId.CHAT_ACK, request.seq()).put("re", request.msgid())
        .put("mid", o.entry().mid()).put("conv", o.entry().conv()).put("cseq", o.entry().cseq())
        .put("status", o.owed() == 0 ? "delivered" : "stored");
    if (group) {
      ack.put("delivered", o.delivered()).put("stored", o.owed());
    }
    reply.ack(ack);
  }

  private static LogStore.Append append(User sender, ConvId conv, Request request, String text, String cmid,
                                        List<Long> recipients) {
    long mid = ThreadLocalRandom.current().nextLong(1, MID_BOUND);
    long ts = System.currentTimeMillis();
    // a shallow copy: only top-level fields change, nested values are shared, never modified
    ObjectNode m = request.body().objectNode().setAll(request.body());
    m.remove("seq");
    m.remove("cmid");
    m.put("id", sender.id()).put("name", sender.name()).put("msg", text);
    JsonNode time = m.get("time");
    if (time == null || !time.isTextual()) {
      m.put("time", LocalDateTime.now().format(TIME));
    }
    m.put("mid", mid).put("conv", conv.key()).put("ts", ts);
    String json = Messages.text(m);
    // the cseq is known only in the transaction: it goes last into the object
    String open = json.substring(0, json.length() - 1);
    return new LogStore.Append(conv, sender.id(), cmid, mid, ts, json.length(),
        cseq -> open + ",\"cseq\":" + cseq + "}", recipients);
  }

  /** The request's cmid: 1 to 64 characters, or null. */
  private static String cmid(Request request) {
    String cmid = request.optionalText("cmid");
    if (cmid != null && (cmid.isEmpty() || cmid.codePointCount(0, cmid.length()) > MAX_CMID_CHARS)) {
      throw ChatException.badRequest("cmid must be 1 to " + MAX_CMID_CHARS + " characters");
    }
    return cmid;
  }
}
