package chat.service;

import chat.delivery.Router;
import chat.log.CursorBook;
import chat.protocol.ChatException;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.session.Blocks;
import chat.session.Outbound;
import chat.session.Session;
import chat.store.ConvId;
import chat.store.LogStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SYNC, CONVERSATIONS, READ and TYPING: history by sequence number, the list of conversations with
 * what is unread, read cursors (with receipts), and typing notices. Entries go out as the log keeps
 * their JSON text, without being parsed again.
 */
final class ConversationService {
  static final int SYNC_DEFAULT = 50;
  static final int SYNC_MAX = 500;
  static final int CONVERSATIONS_DEFAULT = 100;
  static final int CONVERSATIONS_MAX = 500;
  /** At most one typing notice relayed per sender and conversation this often. */
  private static final long TYPING_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final int MAX_TYPING_REMEMBERED = 100_000;
  static final String RECEIPTS = "receipts";
  static final String TYPING = "typing";

  private final LogStore log;
  private final CursorBook cursors;
  private final Guards guards;
  private final Router router;
  private final int maxPerUser;
  private final Map<String, Long> lastTyping = new ConcurrentHashMap<>();

  ConversationService(Services services, Guards guards) {
    this.log = services.store().log();
    this.cursors = services.cursors();
    this.guards = guards;
    this.router = services.router();
    this.maxPerUser = services.sessions().maxPerUser();
  }

  Future<Void> sync(Session session, Request request, Reply reply) {
    int limit = request.optionalInt("limit", 1, SYNC_MAX, SYNC_DEFAULT);
    if (request.has("after") && request.has("before")) {
      throw ChatException.badRequest("after and before go one at a time");
    }
    Long after = request.has("after") ? request.position("after") : null;
    Long before = request.has("before") ? request.position("before") : null;
    return guards.conversation(session, request, true).compose(checked -> {
      String conv = checked.conv().key();
      long end = checked.readableUpTo();
      Future<List<LogStore.Entry>> page = after != null
          ? log.after(conv, after, limit).map(entries -> entries.stream().filter(e -> e.cseq() <= end).toList())
          : log.before(conv, Math.min(before != null ? before : Long.MAX_VALUE, end == Guards.Checked.ALL ? end : end + 1),
              limit);
      return Future.all(page, log.last(conv)).map(both -> {
        List<LogStore.Entry> entries = page.result();
        long last = Math.min(both.resultAt(1), end);
        boolean more = !entries.isEmpty() && (after != null
            ? entries.get(entries.size() - 1).cseq() < last
            : entries.get(0).cseq() > 1);
        ObjectNode ack = Messages.ack(MsgId.SYNC_ACK, request.seq()).put("conv", conv);
        ArrayNode msgs = ack.putArray("msgs");
        entries.forEach(e -> msgs.addRawValue(new RawValue(e.body())));
        reply.send(ack.put("last", last).put("more", more));
        return null;
      });
    });
  }

  Future<Void> conversations(Session session, Request request, Reply reply) {
    int limit = request.optionalInt("limit", 1, CONVERSATIONS_MAX, CONVERSATIONS_DEFAULT);
    long me = session.user().id();
    // the user's own cursor moves this node has not written yet count too (what they just wrote is read)
    return cursors.flush(me).compose(v -> log.conversations(me, limit)).map(list -> {
      ObjectNode ack = Messages.ack(MsgId.CONVERSATIONS_ACK, request.seq());
      ArrayNode convs = ack.putArray("convs");
      for (LogStore.Summary s : list) {
        ObjectNode c = convs.addObject().put("conv", s.conv().key());
        if (s.conv().isGroup()) {
          c.put("groupid", s.conv().group()).put("groupname", s.title());
        } else {
          c.put("with", s.conv().peerOf(me)).put("name", s.title());
        }
        c.put("last", s.last()).put("read", s.read()).put("unread", s.unread());
        if (s.peerRead() != null) {
          // a RECEIPT missed while offline is not pushed again: this is where the client learns it
          c.put("peerread", s.peerRead());
        }
        if (s.lastMessage() != null) {
          c.putRawValue("lastmsg", new RawValue(s.lastMessage().body()));
        }
      }
      reply.send(ack);
      return null;
    });
  }

  Future<Void> read(Session session, Request request, Reply reply) {
    long cseq = request.position("cseq");
    long me = session.user().id();
    Blocks blocks = session.blocks();
    return guards.conversation(session, request, false).compose(checked -> {
      String conv = checked.conv().key();
      return log.last(conv).compose(last -> {
        if (cseq > last) {
          throw ChatException.badRequest("cseq " + cseq + " is beyond the conversation's last, " + last);
        }
        return log.read(me, conv, cseq);
      }).map(read -> {
        reply.send(Messages.ack(MsgId.READ_ACK, request.seq()).put("conv", conv).put("read", read));
        // to the other user of a one-to-one conversation (unless a block stands between them), and to
        // the reader's own other sessions
        List<Long> to = new ArrayList<>(checked.conv().isGroup() || blocksEither(blocks, checked.conv().peerOf(me))
            ? List.of() : checked.others());
        if (maxPerUser > 1) {
          to.add(me);
        }
        ObjectNode receipt = Messages.object(MsgId.RECEIPT).put("conv", conv).put("id", me).put("read", read);
        router.signal(to, Outbound.signal(RECEIPTS, me, session.id(), Messages.text(receipt)));
        return null;
      });
    });
  }

  Future<Void> typing(Session session, Request request, Reply reply) {
    long me = session.user().id();
    Blocks blocks = session.blocks();
    return guards.conversation(session, request, false).map(checked -> {
      if (!checked.conv().isGroup()) {
        Guards.notBlocked(blocks, checked.conv().peerOf(me), "message");
      }
      if (relayNow(me, checked.conv())) {
        ObjectNode notice = Messages.object(MsgId.TYPING).put("conv", checked.conv().key()).put("id", me)
            .put("name", session.user().name());
        router.signal(checked.others(), Outbound.signal(TYPING, me, session.id(), Messages.text(notice)));
      }
      // never answered, never kept
      reply.none();
      return null;
    });
  }

  private static boolean blocksEither(Blocks blocks, long peer) {
    return !blocks.known() || blocks.blocks(peer) || blocks.blockedBy(peer);
  }

  /** Whether this typing notice is the first of its sender in this conversation for a while. */
  private boolean relayNow(long sender, ConvId conv) {
    long now = System.nanoTime();
    if (lastTyping.size() > MAX_TYPING_REMEMBERED) {
      lastTyping.entrySet().removeIf(e -> now - e.getValue() > TYPING_EVERY_NANOS);
    }
    boolean[] relay = {false};
    lastTyping.compute(sender + " " + conv.key(), (k, before) -> {
      relay[0] = before == null || now - before > TYPING_EVERY_NANOS;
      return relay[0] ? now : before;
    });
    return relay[0];
  }
}
