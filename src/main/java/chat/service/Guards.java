package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Request;
import chat.session.Blocks;
import chat.session.Session;
import chat.store.ConvId;
import chat.store.GroupStore;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * The preconditions handlers share, each checked in one place and refused with the same error
 * everywhere: a user that must exist (106), a group the user must be in (106 / 105), a user who
 * must not be blocked either way (105), a conversation the user is in (102 / 106 / 105). Futures
 * complete on the caller's context.
 */
final class Guards {
  private final GroupStore groups;
  private final KnownUsers users;

  Guards(GroupStore groups, KnownUsers users) {
    this.groups = groups;
    this.users = users;
  }

  /** Succeeds when the user exists; 106 otherwise. */
  Future<Void> userExists(long userId) {
    return users.exists(userId).compose(exists -> exists
        ? Future.succeededFuture()
        : Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no user " + userId)));
  }

  /** The members of a group {@code me} is in; 106 when there is no such group, 105 when they are not in it. */
  Future<List<Long>> membersFor(long groupId, long me) {
    return groups.memberIds(groupId).map(members -> {
      if (members.isEmpty()) {
        throw noGroup(groupId);
      }
      if (!members.get().contains(me)) {
        throw notMember(groupId);
      }
      return members.get();
    });
  }

  /**
   * Neither the session's user nor {@code other} blocks the other (105, and the blocker is told to
   * unblock first), as far as the session knows for sure (503 while it does not). No round trip.
   */
  static void notBlocked(Blocks blocks, long other, String action) {
    if (!blocks.known()) {
      throw new ChatException(ErrorCode.UNAVAILABLE, "cannot tell whom you may reach right now: retry");
    }
    if (blocks.blocks(other)) {
      throw new ChatException(ErrorCode.FORBIDDEN, "you blocked user " + other + ": unblock them first");
    }
    if (blocks.blockedBy(other)) {
      throw new ChatException(ErrorCode.FORBIDDEN, "you cannot " + action + " this user");
    }
  }

  /**
   * A conversation a request named, checked: who else is in it, and how far the user may read it
   * (all of it, or up to where it stood when they left the group).
   */
  record Checked(ConvId conv, List<Long> others, long readableUpTo) {
    static final long ALL = Long.MAX_VALUE;
  }

  /**
   * The conversation the request names ({@code conv}): malformed → 102, unknown → 106, one the user
   * is not in → 105 (but to read ({@code reading}) a group they left: up to where they left it).
   */
  Future<Checked> conversation(Session session, Request request, boolean reading) {
    String key = request.optionalText("conv");
    if (key == null) {
      throw ChatException.badRequest("missing field conv");
    }
    ConvId conv = ConvId.parse(key);
    if (conv == null) {
      throw ChatException.badRequest("conv must name a conversation: p:<id>:<id> (smaller id first) or g:<id>");
    }
    long me = session.user().id();
    if (conv.isGroup()) {
      return membersFor(conv.group(), me).compose(members -> {
        List<Long> others = new ArrayList<>(members);
        others.remove(me);
        return Future.succeededFuture(new Checked(conv, others, Checked.ALL));
      }, err -> !reading || !(err instanceof ChatException) ? Future.failedFuture(err)
          : groups.leftAt(conv.group(), me).map(leftAt -> {
            if (leftAt.isEmpty()) {
              throw (RuntimeException) err;
            }
            return new Checked(conv, List.of(), leftAt.get());
          }));
    }
    if (!conv.between(me)) {
      throw new ChatException(ErrorCode.FORBIDDEN, "not your conversation: " + key);
    }
    long peer = conv.peerOf(me);
    return userExists(peer).map(v -> new Checked(conv, List.of(peer), Checked.ALL));
  }

  static ChatException noGroup(long groupId) {
    return new ChatException(ErrorCode.NOT_FOUND, "no group " + groupId);
  }

  static ChatException notMember(long groupId) {
    return new ChatException(ErrorCode.FORBIDDEN, "not a member of group " + groupId);
  }
}
