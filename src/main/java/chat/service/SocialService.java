package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import io.vertx.core.Future;

/** ADD_FRIEND, CREATE_GROUP and ADD_GROUP. */
final class SocialService {
  static final int MAX_GROUP_NAME_CHARS = 64;
  static final int MAX_GROUP_DESC_CHARS = 255;

  private final Services s;

  SocialService(Services services) {
    this.s = services;
  }

  Future<Void> addFriend(Session session, Request request) {
    long me = session.user().id();
    long friend = request.id("friendid");
    if (friend == me) {
      throw ChatException.badRequest("friendid must not be your own id");
    }
    return s.store().users().find(friend)
        .compose(found -> found.isEmpty()
            ? Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no user " + friend))
            : s.store().friends().befriend(me, friend))
        .onSuccess(v -> session.send(Messages.ack(MsgId.ADD_FRIEND_ACK, request.seq()).put("friendid", friend)));
  }

  Future<Void> createGroup(Session session, Request request) {
    String name = request.text("groupname", MAX_GROUP_NAME_CHARS);
    String desc = request.has("groupdesc") ? request.optionalText("groupdesc") : "";
    if (desc.codePointCount(0, desc.length()) > MAX_GROUP_DESC_CHARS) {
      throw ChatException.badRequest("groupdesc is longer than " + MAX_GROUP_DESC_CHARS + " characters");
    }
    return s.store().groups().create(session.user().id(), name, desc)
        .onSuccess(id -> session.send(Messages.ack(MsgId.CREATE_GROUP_ACK, request.seq())
            .put("groupid", id).put("groupname", name)))
        .mapEmpty();
  }

  Future<Void> joinGroup(Session session, Request request) {
    long group = request.id("groupid");
    return s.store().groups().join(group, session.user().id())
        .compose(found -> found
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no group " + group)))
        .onSuccess(v -> session.send(Messages.ack(MsgId.ADD_GROUP_ACK, request.seq()).put("groupid", group)));
  }
}
