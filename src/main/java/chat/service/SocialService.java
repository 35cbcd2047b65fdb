package chat.service;

import chat.admission.RateLimiter;
import chat.cluster.Presence;
import chat.delivery.Router;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.session.Blocks;
import chat.session.Outbound;
import chat.session.Session;
import chat.store.Store;
import chat.store.User;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Friends and groups: ADD_FRIEND, REMOVE_FRIEND, CREATE_GROUP, ADD_GROUP, LEAVE_GROUP, with the
 * SOCIAL events they cause; BLOCK and UNBLOCK; FIND_USER and CARD. A block is acknowledged once
 * every session of both users, on every node, enforces it.
 */
final class SocialService {
  static final int MAX_GROUP_NAME_CHARS = 64;
  static final int MAX_GROUP_DESC_CHARS = 255;
  static final int FIND_LIMIT = 20;
  /** FIND_USER per user: a few at once, then one a second; enough to look people up, too slow to list everyone. */
  private static final int FINDS_PER_SECOND = 1;
  private static final int FIND_BURST = 5;
  private static final int MAX_FINDERS_REMEMBERED = 100_000;

  private final Store store;
  private final Presence presence;
  private final Router router;
  private final Notices notices;
  private final Guards guards;
  private final Map<Long, RateLimiter> finders = new ConcurrentHashMap<>();

  SocialService(Services services, Notices notices, Guards guards) {
    this.store = services.store();
    this.presence = services.presence();
    this.router = services.router();
    this.notices = notices;
    this.guards = guards;
  }

  Future<Void> addFriend(Session session, Request request, Reply reply) {
    User me = session.user();
    long friend = request.id("friendid");
    if (friend == me.id()) {
      throw ChatException.badRequest("friendid must not be your own id");
    }
    Blocks blocks = session.blocks();
    return guards.userExists(friend)
        .compose(v -> {
          Guards.notBlocked(blocks, friend, "add");
          return store.friends().befriend(me.id(), friend);
        })
        .map(added -> {
          reply.ack(Messages.ack(MsgId.ADD_FRIEND_ACK, request.seq()).put("friendid", friend));
          if (added) {
            notices.social(List.of(friend), event("friend_added", me), me.id());
          }
          return null;
        });
  }

  Future<Void> removeFriend(Session session, Request request, Reply reply) {
    User me = session.user();
    long friend = request.id("friendid");
    return store.friends().unfriend(me.id(), friend).map(removed -> {
      if (!removed) {
        throw new ChatException(ErrorCode.NOT_FOUND, "user " + friend + " is not your friend");
      }
      reply.send(Messages.ack(MsgId.REMOVE_FRIEND_ACK, request.seq()).put("friendid", friend));
      notices.social(List.of(friend), event("friend_removed", me), me.id());
      return null;
    });
  }

  /**
   * The user blocks another: no one-to-one message or friend request between them either way, no
   * presence of the user for them, and no friendship any more (SOCIAL friend_removed as for
   * REMOVE_FRIEND). Blocking someone blocked already changes nothing.
   */
  Future<Void> block(Session session, Request request, Reply reply) {
    User me = session.user();
    long other = request.id("id");
    if (other == me.id()) {
      throw ChatException.badRequest("id must not be your own id");
    }
    return guards.userExists(other)
        .compose(v -> store.blocks().block(me.id(), other))
        .compose(blocked -> enforced(me.id(), other, blocked.added()).map(v -> {
          reply.ack(Messages.ack(MsgId.BLOCK_ACK, request.seq()).put("id", other));
          if (blocked.unfriended()) {
            notices.social(List.of(other), event("friend_removed", me), me.id());
          }
          return null;
        }));
  }

  /** The user no longer blocks another: they may message each other again, but are not friends again. */
  Future<Void> unblock(Session session, Request request, Reply reply) {
    User me = session.user();
    long other = request.id("id");
    return guards.userExists(other)
        .compose(v -> store.blocks().unblock(me.id(), other))
        .compose(removed -> enforced(me.id(), other, removed))
        .map(v -> {
          reply.ack(Messages.ack(MsgId.UNBLOCK_ACK, request.seq()).put("id", other));
          return null;
        });
  }

  /** Once a block of {@code other} by {@code me} came or went ({@code changed}): every session of both knows. */
  private Future<Void> enforced(long me, long other, boolean changed) {
    return changed ? router.notify(List.of(me, other), Outbound.blocksChanged(me)) : Future.succeededFuture();
  }

  Future<Void> createGroup(Session session, Request request, Reply reply) {
    String name = request.text("groupname", MAX_GROUP_NAME_CHARS);
    String desc = request.has("groupdesc") ? request.optionalText("groupdesc") : "";
    if (desc.codePointCount(0, desc.length()) > MAX_GROUP_DESC_CHARS) {
      throw ChatException.badRequest("groupdesc is longer than " + MAX_GROUP_DESC_CHARS + " characters");
    }
    return store.groups().create(session.user().id(), name, desc)
        .onSuccess(id -> reply.ack(Messages.ack(MsgId.CREATE_GROUP_ACK, request.seq()).put("groupid", id)
            .put("groupname", name)))
        .mapEmpty();
  }

  Future<Void> joinGroup(Session session, Request request, Reply reply) {
    User me = session.user();
    long group = request.id("groupid");
    return store.groups().join(group, me.id()).compose(joined -> switch (joined) {
      case NO_SUCH_GROUP -> Future.failedFuture(Guards.noGroup(group));
      case ALREADY_MEMBER -> {
        reply.ack(Messages.ack(MsgId.ADD_GROUP_ACK, request.seq()).put("groupid", group));
        yield Future.succeededFuture();
      }
      case NEW_MEMBER -> store.groups().memberIds(group).map(members -> {
        reply.ack(Messages.ack(MsgId.ADD_GROUP_ACK, request.seq()).put("groupid", group));
        notices.social(others(members.orElse(List.of()), me.id()), event("member_joined", me).put("groupid", group),
            me.id());
        return null;
      });
    });
  }

  /** The creator hands the group to its longest member; the last member leaving ends it. */
  Future<Void> leaveGroup(Session session, Request request, Reply reply) {
    User me = session.user();
    long group = request.id("groupid");
    return store.groups().leave(group, me.id()).compose(left -> {
      if (!left.wasMember()) {
        // 106 or 105, as for any group request; a member by now joined after the leave was refused
        return guards.membersFor(group, me.id()).compose(members -> Future.failedFuture(Guards.notMember(group)));
      }
      ObjectNode ack = Messages.ack(MsgId.LEAVE_GROUP_ACK, request.seq()).put("groupid", group);
      if (left.ended()) {
        ack.put("ended", true);
      }
      if (left.newCreator() != null) {
        ack.put("creator", left.newCreator());
      }
      reply.send(ack);
      return store.groups().memberIds(group).map(members -> {
        ObjectNode event = event("member_left", me).put("groupid", group);
        if (left.newCreator() != null) {
          event.put("creator", left.newCreator());
        }
        notices.social(members.orElse(List.of()), event, me.id());
        return null;
      });
    });
  }

  Future<Void> findUser(Session session, Request request, Reply reply) {
    String prefix = request.text("name", AccountService.MAX_NAME_CHARS);
    long me = session.user().id();
    if (finders.size() > MAX_FINDERS_REMEMBERED) {
      finders.clear();
    }
    if (!finders.computeIfAbsent(me, id -> new RateLimiter(FINDS_PER_SECOND, FIND_BURST)).tryAcquire()) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "too many searches: one a second, please");
    }
    Blocks blocks = session.blocks();
    return store.users().findByPrefix(prefix, FIND_LIMIT).compose(users -> presence.online(
            users.stream().map(User::id).toList())
        .map(online -> {
          ObjectNode ack = Messages.ack(MsgId.FIND_USER_ACK, request.seq());
          ArrayNode list = ack.putArray("users");
          // still found (it is how one unblocks), but who blocks the user shows offline
          users.forEach(u -> list.add(Messages.userEntry(u.id(), u.name(),
              online.contains(u.id()) && !blocks.blockedBy(u.id()))));
          reply.send(ack);
          return null;
        }));
  }

  /** The login card's friends and groups and whom the user blocks, fresh, without logging in again. */
  Future<Void> card(Session session, Request request, Reply reply) {
    return store.cards().card(session.user().id())
        .compose(card -> CardLists.of(presence, card).map(lists -> {
          ObjectNode ack = Messages.ack(MsgId.CARD_ACK, request.seq());
          lists.friends().forEach(ack.putArray("friends")::add);
          lists.groups().forEach(ack.putArray("groups")::add);
          reply.send(Messages.blocked(ack, card.blocks().blocked()));
          return null;
        }));
  }

  private static ObjectNode event(String what, User about) {
    return Messages.object(MsgId.SOCIAL).put("event", what).put("id", about.id()).put("name", about.name());
  }

  private static List<Long> others(List<Long> members, long me) {
    List<Long> others = new ArrayList<>(members);
    others.remove(me);
    return others;
  }
}
