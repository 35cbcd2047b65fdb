package chat.service;

import chat.delivery.Router;
import chat.log.Appender;
import chat.log.CursorBook;
import chat.protocol.ChatException;
import chat.protocol.Changes;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.session.Blocks;
import chat.session.Outbound;
import chat.session.Session;
import chat.store.ConvId;
import chat.store.GroupStore;
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
import java.util.concurrent.TimeUnit;

/**
 * ONE_CHAT and GROUP_CHAT, EDIT and RECALL: persist first, push second. The message is appended to
 * its conversation's log (and committed) before anyone hears of it, then pushed to the recipients'
 * sessions; what they do not take stays owed. It is forwarded as sent, except that the server sets
 * who sent it ({@code id}, {@code name}), the checked text, its place ({@code conv}, {@code cseq}),
 * a message id, its time ({@code ts}, and {@code time} if missing); {@code seq} and {@code cmid}
 * belong to the sender; a {@code reply} must name a message of the conversation. A resend with a
 * cmid already appended is answered with the first CHAT_ACK. An edit or recall is an entry of the
 * log like a message (CHANGED, its target named by cseq), appended and pushed the same way; the
 * store changes its target with it. One-to-one messages and changes are checked against the
 * sender's session's block lists, without a round trip.
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
  private final GroupStore groups;
  private final Guards guards;
  private final int maxTextChars;
  private final long editMillis;
  private final long recallMillis;

  ChatService(Services services, Guards guards) {
    this.appender = services.appender();
    this.router = services.router();
    this.cursors = services.cursors();
    this.log = services.store().log();
    this.groups = services.store().groups();
    this.guards = guards;
    this.maxTextChars = services.limits().maxTextChars();
    this.editMillis = TimeUnit.SECONDS.toMillis(services.limits().editSeconds());
    this.recallMillis = TimeUnit.SECONDS.toMillis(services.limits().recallSeconds());
  }

  Future<Void> oneChat(Session session, Request request, Reply reply) {
    long to = request.id("toid");
    String text = request.chatText("msg", maxTextChars);
    String cmid = cmid(request);
    User me = session.user();
    if (to == me.id()) {
      throw ChatException.badRequest("toid is your own id: a conversation is between two users");
    }
    Blocks blocks = session.blocks();
    ConvId conv = ConvId.ofUsers(me.id(), to);
    // once the recipient is known and the node has room, the message takes its place in the log's
    // queue: the next request may start, it cannot overtake this one
    return guards.userExists(to).compose(v -> repliedTo(conv, request)).compose(v -> appender.room()).map(v -> {
      // checked as late as can be: a block that took effect meanwhile counts
      Guards.notBlocked(blocks, to, "message");
      appender.append(message(me, conv, request, text, cmid, List.of(to)))
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
    ConvId conv = ConvId.ofGroup(group);
    return guards.membersFor(group, me.id())
        .compose(members -> repliedTo(conv, request).compose(v -> appender.room()).map(members))
        .map(members -> {
          List<Long> others = new ArrayList<>(members);
          others.remove(me.id());
          appender.append(message(me, conv, request, text, cmid, others))
              .compose(appended -> deliver(session, appended, others))
              .onComplete(outcome -> answer(reply, request, outcome, true));
          return null;
        });
  }

  /** EDIT: the sender gives their message a new text, within {@code limits.editSeconds} of sending it. */
  Future<Void> edit(Session session, Request request, Reply reply) {
    String text = request.chatText("msg", maxTextChars);
    return change(session, request, reply, LogStore.Kind.EDIT, text);
  }

  /**
   * RECALL: the sender takes their message back for everyone, within {@code limits.recallSeconds} of
   * sending it; a group's creator may recall any message of the group.
   */
  Future<Void> recall(Session session, Request request, Reply reply) {
    return change(session, request, reply, LogStore.Kind.RECALL, null);
  }

  /**
   * An edit or recall of message {@code target} of the conversation, once it is allowed: appended
   * as an entry of its own, pushed to the conversation's users as CHANGED, acknowledged like a chat.
   */
  private Future<Void> change(Session session, Request request, Reply reply, LogStore.Kind kind, String text) {
    long target = request.id("target");
    String cmid = cmid(request);
    User me = session.user();
    Blocks blocks = session.blocks();
    return guards.conversation(session, request, false)
        .compose(checked -> log.after(checked.conv().key(), target - 1, 1)
            .compose(found -> allowed(checked.conv(), me.id(), kind, target, found))
            .compose(v -> appender.room())
            .map(v -> {
              if (!checked.conv().isGroup()) {
                Guards.notBlocked(blocks, checked.conv().peerOf(me.id()), "message");
              }
              appender.append(change(me, checked.conv(), kind, target, text, cmid, checked.others()))
                  .compose(appended -> deliver(session, appended, checked.others()))
                  .onComplete(outcome -> answer(reply, request, outcome, checked.conv().isGroup()));
              return null;
            }));
  }

  /**
   * Whether the user may make this change to the entry {@code found} at {@code target}: a message of
   * the conversation still there (102 otherwise), theirs and within the window, or, to recall, any
   * of a group they created (105 otherwise).
   */
  private Future<Void> allowed(ConvId conv, long me, LogStore.Kind kind, long target, List<LogStore.Entry> found) {
    LogStore.Entry message = found.isEmpty() || found.get(0).cseq() != target ? null : found.get(0);
    if (message == null || message.kind().isChange()) {
      throw ChatException.badRequest("target " + target + " is not a message of " + conv.key());
    }
    if (message.kind() == LogStore.Kind.RECALLED) {
      throw ChatException.badRequest("message " + target + " was recalled");
    }
    boolean edit = kind == LogStore.Kind.EDIT;
    // a window of 0 allows nothing: strictly within it
    if (message.senderId() == me && System.currentTimeMillis() - message.ts() < (edit ? editMillis : recallMillis)) {
      return Future.succeededFuture();
    }
    ChatException refused = new ChatException(ErrorCode.FORBIDDEN, message.senderId() != me
        ? "only its sender may " + (edit ? "edit" : "recall") + " message " + target
        : "message " + target + " is older than the " + (edit ? "edit" : "recall") + " window, "
            + (edit ? editMillis : recallMillis) / 1000 + " s");
    if (edit || !conv.isGroup()) {
      throw refused;
    }
    // moderation: the group's creator recalls any message of it
    return groups.isCreator(conv.group(), me).compose(creator -> creator
        ? Future.succeededFuture()
        : Future.failedFuture(refused));
  }

  /** A {@code reply}, when the request has one, must be a message of the conversation (recalled or not). */
  private Future<Void> repliedTo(ConvId conv, Request request) {
    if (!request.has("reply")) {
      return Future.succeededFuture();
    }
    long cseq = request.id("reply");
    return log.after(conv.key(), cseq - 1, 1).map(found -> {
      if (found.isEmpty() || found.get(0).cseq() != cseq || found.get(0).kind().isChange()) {
        throw ChatException.badRequest("reply " + cseq + " is not a message of " + conv.key());
      }
      return null;
    });
  }

  /**
   * The committed entry, pushed to its recipients and to the sender's sessions (the one that sent
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
    if (!entry.kind().isChange()) {
      // what one writes counts as read; a change of an old message says nothing of what came since
      cursors.read(entry.senderId(), entry.conv(), entry.cseq());
    }
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

  private static LogStore.Append message(User sender, ConvId conv, Request request, String text, String cmid,
                                         List<Long> recipients) {
    // a shallow copy: only top-level fields change, nested values are shared, never modified
    ObjectNode m = request.body().objectNode().setAll(request.body());
    m.remove("seq");
    m.remove("cmid");
    m.put("id", sender.id()).put("name", sender.name()).put("msg", text);
    JsonNode time = m.get("time");
    if (time == null || !time.isTextual()) {
      m.put("time", LocalDateTime.now().format(TIME));
    }
    return append(sender, conv, m, cmid, recipients, null);
  }

  /** A CHANGED entry: who changed which message how (and its new text, when edited). */
  private static LogStore.Append change(User sender, ConvId conv, LogStore.Kind kind, long target, String text,
                                        String cmid, List<Long> recipients) {
    ObjectNode m = Messages.object(MsgId.CHANGED).put("target", target)
        .put("kind", kind == LogStore.Kind.EDIT ? Changes.EDIT : Changes.RECALL);
    if (text != null) {
      m.put("msg", text);
    }
    m.put("id", sender.id());
    return append(sender, conv, m, cmid, recipients, new LogStore.Change(kind, target, text));
  }

  /**
   * The entry to append: {@code m} with its message id, conversation and time, its cseq to come;
   * owed to {@code recipients} until their sessions are pushed it.
   */
  private static LogStore.Append append(User sender, ConvId conv, ObjectNode m, String cmid, List<Long> recipients,
                                        LogStore.Change change) {
    long mid = ThreadLocalRandom.current().nextLong(1, MID_BOUND);
    long ts = System.currentTimeMillis();
    if (change != null && change.kind() == LogStore.Kind.EDIT) {
      m.put("edited", ts);
    }
    m.put("mid", mid).put("conv", conv.key()).put("ts", ts);
    String json = Messages.text(m);
    // the cseq is known only in the transaction: it goes last into the object
    String open = json.substring(0, json.length() - 1);
    return new LogStore.Append(conv, sender.id(), cmid, mid, ts, json.length(),
        cseq -> open + ",\"cseq\":" + cseq + "}", recipients, change);
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
