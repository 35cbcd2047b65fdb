package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.store.GroupStore;
import io.vertx.core.Future;

import java.util.List;

/**
 * The preconditions handlers share, each checked in one place and refused with the same error
 * everywhere: a user that must exist (106), a group the user must be in (106 / 105). Futures
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

  static ChatException noGroup(long groupId) {
    return new ChatException(ErrorCode.NOT_FOUND, "no group " + groupId);
  }

  static ChatException notMember(long groupId) {
    return new ChatException(ErrorCode.FORBIDDEN, "not a member of group " + groupId);
  }
}
