package chat.service;

import chat.cluster.Presence;
import chat.delivery.Router;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.session.Outbound;
import chat.store.FriendStore;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The pushes that tell people what changed around them: PRESENCE to a user's friends when their
 * first session starts or their last one ends (also when it ends with a dead node), and SOCIAL
 * events. Each goes only to sessions that asked for it ({@code caps}), never to legacy ones, and
 * is never kept: a user offline at the time learns the state at their next login.
 */
final class Notices {
  static final String PRESENCE = "presence";
  static final String SOCIAL = "social";

  private final FriendStore friends;
  private final Router router;

  Notices(FriendStore friends, Router router, Presence presence) {
    this.friends = friends;
    this.router = router;
    presence.onGone(this::offline);
  }

  /** The user's first session is up: their friends (as the login card listed them) learn it. */
  void online(long userId, List<Long> friendIds) {
    router.signal(friendIds, presence(userId, "online"));
  }

  /** The user's last session is gone. */
  void offline(long userId) {
    friends.friendIds(userId).onSuccess(ids -> router.signal(ids, presence(userId, "offline")));
  }

  /** A SOCIAL event about {@code subject} (a user id) to these users' sessions. */
  void social(List<Long> to, ObjectNode event, long subject) {
    router.signal(to, Outbound.signal(SOCIAL, subject, null, Messages.text(event)));
  }

  private static Outbound presence(long userId, String state) {
    ObjectNode m = Messages.object(MsgId.PRESENCE).put("id", userId).put("state", state);
    return Outbound.signal(PRESENCE, userId, null, Messages.text(m));
  }
}
