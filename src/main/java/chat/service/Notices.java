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
import io.vertx.core.Future;
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
 * <p>Presence changes are gathered for {@code sessions.presenceWindowMillis} and pushed together: each
 * user whose state changed is told once per window, in the state presence has for them when the
 * window ends (read then, for all of them at once: a user who left one node and came back on another
 * is told online by both, never offline last, whichever node's window ends first), and the friends
 * of those not just logged in here are read in one statement, not one each. A login storm then costs
 * a look-up or two and one round of pushes per window, not per login.
 */
final class Notices {
  static final String PRESENCE = "presence";
  static final String SOCIAL = "social";
  private static final Logger LOG = LoggerFactory.getLogger(Notices.class);

  /** A user's presence changed within a window; a login here knows the friends its card listed. */
  private static final class Change {
    List<Long> cardFriends;
  }

  private final FriendStore friends;
  private final Router router;
  private final Presence presence;
  private final Vertx vertx;
  private final Context context;
  private final long windowMillis;
  /** The window's changes, by user; touched on {@link #context} only. */
  private Map<Long, Change> changes = new HashMap<>();
  private boolean windowOpen;
  private long timer = -1;

  Notices(Vertx vertx, FriendStore friends, Router router, Presence presence, long windowMillis) {
    this.vertx = vertx;
    this.windowMillis = windowMillis;
    this.context = vertx.getOrCreateContext();
    this.friends = friends;
    this.router = router;
    this.presence = presence;
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
      // a login's card lists who is a friend now; after a logout, the store is asked (friends come and go)
      c.cardFriends = online ? friendIds : null;
      if (!windowOpen) {
        windowOpen = true;
        timer = vertx.setTimer(windowMillis, t -> push());
      }
    });
  }

  /**
   * The window's changes now, not at its end: the node is stopping, and friends elsewhere must learn
   * that its users left while the store can still say who they are.
   */
  Future<Void> flush() {
    return Loop.call(context, () -> {
      if (!windowOpen) {
        return Future.succeededFuture();
      }
      vertx.cancelTimer(timer);
      return push();
    });
  }

  /** Pushes the window's changes: each user's state as presence has it now, once. */
  private Future<Void> push() {
    Map<Long, Change> window = changes;
    changes = new HashMap<>();
    windowOpen = false;
    return Loop.back(presence.online(window.keySet())).transform(online -> {
      if (online.failed()) {
        LOG.warn("cannot read the presence of {} users to tell their friends: {}", window.size(),
            online.cause().toString());
        return Future.succeededFuture();
      }
      List<Long> unknownFriends = new ArrayList<>();
      window.forEach((userId, c) -> {
        if (!online.result().contains(userId) || c.cardFriends == null) {
          unknownFriends.add(userId);
        }
      });
      return Loop.back(friends.friendIds(unknownFriends)).transform(read -> {
        if (read.failed()) {
          LOG.warn("cannot read the friends of {} users to tell them: {}", unknownFriends.size(),
              read.cause().toString());
        }
        List<Router.Signal> pushes = new ArrayList<>(window.size());
        window.forEach((userId, c) -> {
          boolean now = online.result().contains(userId);
          List<Long> to = now && c.cardFriends != null ? c.cardFriends
              : read.succeeded() ? read.result().get(userId) : null;
          if (to != null && !to.isEmpty()) {
            pushes.add(new Router.Signal(to, presence(userId, now ? "online" : "offline")));
          }
        });
        router.signal(pushes);
        return Future.<Void>succeededFuture();
      });
    });
  }

  private static Outbound presence(long userId, String state) {
    ObjectNode m = Messages.object(MsgId.PRESENCE).put("id", userId).put("state", state);
    return Outbound.signal(PRESENCE, userId, null, Messages.text(m));
  }
}
