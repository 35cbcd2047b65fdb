package chat.service;

import chat.delivery.Outbound;
import chat.delivery.Router;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.store.GroupStore;
import chat.store.User;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ONE_CHAT and GROUP_CHAT: the message is forwarded as sent, except that the server sets who sent
 * it ({@code id}, {@code name}), the checked text, a message id and, if missing, the time;
 * {@code seq} belongs to the sender and is not forwarded.
 */
final class ChatService {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** Message ids stay below 2^53 so that JavaScript clients read them exactly. */
  private static final long MID_BOUND = 1L << 53;

  private final Router router;
  private final GroupStore groups;
  private final int maxTextChars;

  ChatService(Services services) {
    this.router = services.router();
    this.groups = services.store().groups();
    this.maxTextChars = services.limits().maxTextChars();
  }

  Future<Void> oneChat(Session session, Request request, Reply reply) {
    long to = request.id("toid");
    String text = request.chatText("msg", maxTextChars);
    long mid = newMid();
    Router.Delivery delivery = router.deliver(to, forwarded(session.user(), request, text, mid));
    // the next request may start once this one cannot be overtaken; the answer follows the outcome
    delivery.outcome().onComplete(outcome -> {
      if (outcome.failed()) {
        reply.send(Dispatcher.errorReply(outcome.cause(), request));
      } else {
        answer(reply, chatAck(request, mid, outcome.result() == Router.Status.DELIVERED ? "delivered" : "stored"));
      }
    });
    return delivery.accepted();
  }

  Future<Void> groupChat(Session session, Request request, Reply reply) {
    long group = request.id("groupid");
    String text = request.chatText("msg", maxTextChars);
    long me = session.user().id();
    return groups.memberIds(group).compose(members -> {
      if (members.isEmpty()) {
        return Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no group " + group));
      }
      if (!members.get().contains(me)) {
        return Future.failedFuture(new ChatException(ErrorCode.FORBIDDEN, "not a member of group " + group));
      }
      List<Long> others = new ArrayList<>(members.get());
      others.remove(me);
      long mid = newMid();
      return router.deliverAll(others, forwarded(session.user(), request, text, mid))
          .map(fanOut -> {
            ObjectNode ack = chatAck(request, mid, fanOut.stored() == 0 ? "delivered" : "stored");
            answer(reply, ack == null ? null : ack.put("delivered", fanOut.delivered()).put("stored", fanOut.stored()));
            return null;
          });
    });
  }

  private static Outbound forwarded(User sender, Request request, String text, long mid) {
    // a shallow copy: only top-level fields change, nested values are shared, never modified
    ObjectNode m = request.body().objectNode().setAll(request.body());
    m.remove("seq");
    m.put("id", sender.id()).put("name", sender.name()).put("msg", text).put("mid", mid);
    JsonNode time = m.get("time");
    if (time == null || !time.isTextual()) {
      m.put("time", LocalDateTime.now().format(TIME));
    }
    return Outbound.of(m);
  }

  /** The CHAT_ACK owed to a request that carried a seq; null when it carried none. */
  private static ObjectNode chatAck(Request request, long mid, String status) {
    if (request.seq() == null) {
      return null;
    }
    return Messages.ack(MsgId.CHAT_ACK, request.seq()).put("re", request.msgid()).put("mid", mid)
        .put("status", status);
  }

  private static void answer(Reply reply, ObjectNode ack) {
    if (ack == null) {
      reply.none();
    } else {
      reply.send(ack);
    }
  }

  private static long newMid() {
    return ThreadLocalRandom.current().nextLong(1, MID_BOUND);
  }
}
