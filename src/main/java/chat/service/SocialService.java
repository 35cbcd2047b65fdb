package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.store.Store;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/** ADD_FRIEND, CREATE_GROUP and ADD_GROUP. */
final class SocialService {
  static final int MAX_GROUP_NAME_CHARS = 64;
  static final int MAX_GROUP_DESC_CHARS = 255;

  private final Store store;

  SocialService(Services services) {
    this.store = services.store();
  }

  Future<Void> addFriend(Session session, Request request, Reply reply) {
    long me = session.user().id();
    long friend = request.id("friendid");
    if (friend == me) {
      throw ChatException.badRequest("friendid must not be your own id");
    }
    return store.users().find(friend)
        .compose(found -> found.isEmpty()
            ? Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no user " + friend))
            : store.friends().befriend(me, friend))
        .onSuccess(v -> ack(session, request, reply, MsgId.ADD_FRIEND_ACK, ack -> ack.put("friendid", friend)));
  }

  Future<Void> createGroup(Session session, Request request, Reply reply) {
    String name = request.text("groupname", MAX_GROUP_NAME_CHARS);
    String desc = request.has("groupdesc") ? request.optionalText("groupdesc") : "";
    if (desc.codePointCount(0, desc.length()) > MAX_GROUP_DESC_CHARS) {
      throw ChatException.badRequest("groupdesc is longer than " + MAX_GROUP_DESC_CHARS + " characters");
    }
    return store.groups().create(session.user().id(), name, desc)
        .onSuccess(id -> ack(session, request, reply, MsgId.CREATE_GROUP_ACK,
            ack -> ack.put("groupid", id).put("groupname", name)))
        .mapEmpty();
  }

  Future<Void> joinGroup(Session session, Request request, Reply reply) {
    long group = request.id("groupid");
    return store.groups().join(group, session.user().id())
        .compose(found -> found
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no group " + group)))
        .onSuccess(v -> ack(session, request, reply, MsgId.ADD_GROUP_ACK, ack -> ack.put("groupid", group)));
  }

  /** The ack of a change that succeeded, if owed ({@link Dispatcher#owesAck}). */
  private static void ack(Session session, Request request, Reply reply, int msgid,
                          java.util.function.UnaryOperator<ObjectNode> fields) {
    if (Dispatcher.owesAck(session, request)) {
      reply.send(fields.apply(Messages.ack(msgid, request.seq())));
    } else {
      reply.none();
    }
  }
}
