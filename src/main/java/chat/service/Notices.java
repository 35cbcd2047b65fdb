package chat.service;

import chat.cluster.Presence;
import chat.delivery.Router;
import chat.loop.Loop;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.session.Outbound;
import chat.store.FriendStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pushes that tell people what changed around them: PRESENCE to a user's friends when their
 * first session starts or their last one ends (also when it ends with a dead node), and SOCIAL
 * events. Each goes only to sessions that asked for it ({@code caps}), never to legacy ones, and
 * is never kept: a user offline at the time learns the state at their next login.
 *
 * <p>Presence changes are gathered for {@code sessions.presenceWindowMillis} and pushed together: a
 * user whose state changed several times within the window (a page reload: offline, online) is told
 * once, in the state they ended in (still told: a friend may have read the state in between), and
 * the friends of every user who went offline are read in one statement, not one each. A login storm
 * then costs one look-up and one round of pushes per window, not per login.
 */
final class Notices {
  static final String PRESENCE = "presence";
  static final String SOCIAL = "social";
  private static final Logger LOG = LoggerFactory.getLogger(Notices.class);

  /**
   * A user's presence within a window: the state they are in now, and, for a login, the friends its
   * card listed (those who leave are told to the friends the store has then: new ones included).
   */
  private static final class Change {
    boolean online;
    List<Long> cardFriends;

    List<Long> knownFriends() {
      return online ? cardFriends : null;
    }
  }

  private final FriendStore friends;
  private final Router router;
  private final Vertx vertx;
  private final Context context;
  private final long windowMillis;
  /** The window's changes, by user; touched on {@link #context} only. */
  private Map<Long, Change> changes = new HashMap<>();
  private boolean windowOpen;

  Notices(Vertx vertx, FriendStore friends, Router router, Presence presence, long windowMillis) {
    this.vertx = vertx;
    this.windowMillis = windowMillis;
    this.context = vertx.getOrCreateContext();
    this.friends = friends;
    this.router = router;
    presence.onGone(this::offline);
  }

  /** The user's first session is up: their friends (as the login card listed them) learn it. */
  void online(long userId, List<Long> friendIds) {
    change(userId, true, friendIds);
  }

  /** The user's last session is gone: their friends learn it. */
  void offline(long userId) {
    change(userId, false, null);
  }

  /** A SOCIAL event about {@code subject} (a user id) to these users' sessions. */
  void social(List<Long> to, ObjectNode event, long subject) {
    router.signal(to, Outbound.signal(SOCIAL, subject, null, Messages.text(event)));
  }

  private void change(long userId, boolean online, List<Long> friendIds) {
    Loop.run(context, () -> {
      Change c = changes.computeIfAbsent(userId, id -> new Change());
      c.online = online;
      if (friendIds != null) {
        c.cardFriends = friendIds;
      }
      if (!windowOpen) {
        windowOpen = true;
        vertx.setTimer(windowMillis, t -> push());
      }
    });
  }

  /** Pushes the window's changes: each user's final state, once. */
  private void push() {
    Map<Long, Change> window = changes;
    changes = new HashMap<>();
    windowOpen = false;
    List<Long> unknownFriends = new ArrayList<>();
    window.forEach((userId, c) -> {
      if (c.knownFriends() == null) {
        unknownFriends.add(userId);
      }
    });
    Loop.back(friends.friendIds(unknownFriends)).onComplete(read -> {
      if (read.failed()) {
        LOG.warn("cannot read the friends of {} users gone offline: {}", unknownFriends.size(), read.cause().toString());
      }
      window.forEach((userId, c) -> {
        List<Long> to = c.knownFriends() != null ? c.knownFriends() : read.succeeded() ? read.result().get(userId) : null;
        if (to != null && !to.isEmpty()) {
          router.signal(to, presence(userId, c.online ? "online" : "offline"));
        }
      });
    });
  }

  private static Outbound presence(long userId, String state) {
    ObjectNode m = Messages.object(MsgId.PRESENCE).put("id", userId).put("state", state);
    return Outbound.signal(PRESENCE, userId, null, Messages.text(m));
  }
}
