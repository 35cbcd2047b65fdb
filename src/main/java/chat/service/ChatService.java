package chat.service;

import chat.cluster.Outbound;
import chat.cluster.Router;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
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
 * it ({@code id}, {@code name}), adds a message id and, if missing, the time; {@code seq} belongs
 * to the sender and is not forwarded.
 */
final class ChatService {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** Message ids stay below 2^53 so that JavaScript clients read them exactly. */
  private static final long MID_BOUND = 1L << 53;

  private final Services s;

  ChatService(Services services) {
    this.s = services;
  }

  Future<Void> oneChat(Session session, Request request) {
    long to = request.id("toid");
    request.chatText("msg", s.limits().maxTextChars());
    long mid = newMid();
    Outbound message = forwarded(session.user(), request, mid);
    Router.Delivery delivery = s.router().deliver(to, message);
    // the next request may start once this one cannot be overtaken; the answer follows the outcome
    delivery.outcome().onComplete(outcome -> {
      if (outcome.failed()) {
        session.send(Dispatcher.errorReply(outcome.cause(), request));
        return;
      }
      ObjectNode ack = chatAck(request, mid, outcome.result() == Router.Status.DELIVERED ? "delivered" : "stored");
      if (ack != null) {
        session.send(ack);
      }
    });
    return delivery.accepted();
  }

  Future<Void> groupChat(Session session, Request request) {
    long group = request.id("groupid");
    request.chatText("msg", s.limits().maxTextChars());
    long me = session.user().id();
    return s.store().groups().memberIds(group).compose(members -> {
      if (members.isEmpty()) {
        return Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no group " + group));
      }
      if (!members.get().contains(me)) {
        return Future.failedFuture(new ChatException(ErrorCode.FORBIDDEN, "not a member of group " + group));
      }
      List<Long> others = new ArrayList<>(members.get());
      others.remove(me);
      long mid = newMid();
      return s.router().deliverAll(others, forwarded(session.user(), request, mid))
          .onSuccess(fanOut -> {
            ObjectNode ack = chatAck(request, mid, fanOut.stored() == 0 ? "delivered" : "stored");
            if (ack != null) {
              session.send(ack.put("delivered", fanOut.delivered()).put("stored", fanOut.stored()));
            }
          })
          .mapEmpty();
    });
  }

  private static Outbound forwarded(User sender, Request request, long mid) {
    // a shallow copy: only top-level fields change, nested values are shared, never modified
    ObjectNode m = request.body().objectNode().setAll(request.body());
    m.remove("seq");
    m.put("id", sender.id()).put("name", sender.name()).put("mid", mid);
    JsonNode time = m.get("time");
    if (time == null || !time.isTextual()) {
      m.put("time", LocalDateTime.now().format(TIME));
    }
    return Outbound.of(Messages.bytes(m));
  }

  /** The CHAT_ACK owed to a request that carried a seq; null when it carried none. */
  private static ObjectNode chatAck(Request request, long mid, String status) {
    if (request.seq() == null) {
      return null;
    }
    return Messages.ack(MsgId.CHAT_ACK, request.seq()).put("re", request.msgid()).put("mid", mid)
        .put("status", status);
  }

  private static long newMid() {
    return ThreadLocalRandom.current().nextLong(1, MID_BOUND);
  }
}
