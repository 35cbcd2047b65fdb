package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Carries out one server command for the logged-in user and says how it went. */
final class Actions {
  /** Messages per page of {@code history}. */
  static final int HISTORY_PAGE = 20;
  /** The most users a FIND_USER answers with. */
  static final int FIND_LIMIT = 20;

  private final ClientSession session;
  private final Profile me;
  /** Per conversation, the oldest message {@code history} showed: where {@code :more} goes on from. */
  private final Map<String, Long> oldestShown = new HashMap<>();

  Actions(ClientSession session, Profile me) {
    this.session = session;
    this.me = me;
  }

  /** The confirmation to print; a failure is thrown with its reason. */
  String run(Command command) throws ClientException {
    if (command instanceof Command.Chat c) {
      return chat(new Command.Conv(false, c.to()), c.text(), null);
    }
    if (command instanceof Command.GroupChat g) {
      return chat(new Command.Conv(true, g.group()), g.text(), null);
    }
    if (command instanceof Command.Reply r) {
      return chat(r.conv(), r.text(), r.cseq());
    }
    if (command instanceof Command.Edit e) {
      session.call(Messages.object(MsgId.EDIT).put("conv", e.conv().key(me.id())).put("target", e.cseq())
          .put("msg", e.text()));
      return "edited #" + e.cseq() + " in " + Format.who(e.conv().group(), e.conv().id());
    }
    if (command instanceof Command.Recall r) {
      session.call(Messages.object(MsgId.RECALL).put("conv", r.conv().key(me.id())).put("target", r.cseq()));
      return "recalled #" + r.cseq() + " in " + Format.who(r.conv().group(), r.conv().id());
    }
    if (command instanceof Command.Block b) {
      session.call(Messages.object(MsgId.BLOCK).put("id", b.user()));
      return session.names().label(b.user()) + " is blocked: neither of you can message the other, nor add the other"
          + " as a friend (unblock:" + b.user() + " undoes it)";
    }
    if (command instanceof Command.Unblock u) {
      session.call(Messages.object(MsgId.UNBLOCK).put("id", u.user()));
      return session.names().label(u.user()) + " is unblocked (not your friend again: addfriend:" + u.user() + ")";
    }
    if (command instanceof Command.AddFriend f) {
      session.call(Messages.object(MsgId.ADD_FRIEND).put("id", me.id()).put("friendid", f.friend()));
      learnNames();
      return session.names().label(f.friend()) + " is now your friend";
    }
    if (command instanceof Command.CreateGroup g) {
      ObjectNode ack = session.call(Messages.object(MsgId.CREATE_GROUP).put("id", me.id())
          .put("groupname", g.name()).put("groupdesc", g.desc()));
      return "created group[" + ack.path("groupid").asLong() + "] " + g.name() + " - its id is "
          + ack.path("groupid").asLong();
    }
    if (command instanceof Command.AddGroup g) {
      session.call(Messages.object(MsgId.ADD_GROUP).put("id", me.id()).put("groupid", g.group()));
      learnNames();
      return "joined group[" + g.group() + "]";
    }
    if (command instanceof Command.RemoveFriend f) {
      String who = session.names().label(f.friend());
      session.call(Messages.object(MsgId.REMOVE_FRIEND).put("friendid", f.friend()));
      return who + " is no longer your friend";
    }
    if (command instanceof Command.LeaveGroup g) {
      ObjectNode ack = session.call(Messages.object(MsgId.LEAVE_GROUP).put("groupid", g.group()));
      String left = "left group[" + g.group() + "]";
      if (ack.path("ended").asBoolean()) {
        return left + "; you were its last member, so the group has ended";
      }
      return ack.has("creator") ? left + "; " + session.names().label(ack.path("creator").asLong()) + " is its creator now"
          : left;
    }
    if (command instanceof Command.Find f) {
      return found(f.prefix(), session.call(Messages.object(MsgId.FIND_USER).put("name", f.prefix())));
    }
    if (command instanceof Command.Password p) {
      return changePassword(p);
    }
    if (command instanceof Command.Friends) {
      return refreshed(p -> Format.friendsAndBlocked(p, session.names()), false);
    }
    if (command instanceof Command.Groups) {
      return refreshed(Format::groups, true);
    }
    if (command instanceof Command.History h) {
      return history(h);
    }
    if (command instanceof Command.Unread) {
      List<Unread> unread = unread();
      return unread.isEmpty() ? "no unread messages" : Format.unread(unread);
    }
    throw new IllegalStateException("not a server command: " + command);
  }

  /**
   * The names of a new friend or of a joined group's members (CARD), so that their PRESENCE and
   * SOCIAL pushes name them; without it they are shown by id.
   */
  private void learnNames() {
    try {
      session.names().learn(me.withCard(session.call(Messages.object(MsgId.CARD))));
    } catch (ClientException e) {
      // only names are missed
    }
  }

  /** The conversations with unread messages (CONVERSATIONS), most recent first. */
  List<Unread> unread() throws ClientException {
    return Unread.from(session.call(Messages.object(MsgId.CONVERSATIONS)));
  }

  /**
   * ONE_CHAT or GROUP_CHAT (answering message {@code reply}, or null), kept until acknowledged; the
   * confirmation says where it went and its number in the conversation.
   */
  private String chat(Command.Conv conv, String text, Long reply) throws ClientException {
    ObjectNode request = conv.group()
        ? Messages.object(MsgId.GROUP_CHAT).put("groupid", conv.id())
        : Messages.object(MsgId.ONE_CHAT).put("toid", conv.id());
    request.put("id", me.id()).put("name", me.name()).put("msg", text).put("time", Format.now());
    if (reply != null) {
      request.put("reply", reply);
    }
    UnackedChats.Sent sent = session.chat(request);
    String to = Format.who(conv.group(), conv.id());
    ObjectNode ack = sent.ack();
    if (sent.resent()) {
      return confirmedAfterReconnect(to, ack);
    }
    String number = " (#" + ack.path("cseq").asLong() + ")";
    if (conv.group()) {
      return "sent to " + to + ": delivered to " + ack.path("delivered").asInt() + ", stored for "
          + ack.path("stored").asInt() + number;
    }
    return "sent to " + to + ": " + ("delivered".equals(ack.path("status").asText())
        ? "delivered" : "stored, delivered when they log in") + number;
  }

  /**
   * A resent message's ack cannot say how the first sending went (the server answers a resend it
   * had already appended with "stored"): the message is in the conversation once, at {@code cseq}.
   */
  private static String confirmedAfterReconnect(String to, ObjectNode ack) {
    return "sent to " + to + ": confirmed after reconnect (#" + ack.path("cseq").asLong() + ")";
  }

  /**
   * A page of the conversation (SYNC): the newest, or the one before the oldest shown so far. The
   * newest page is then marked read (READ).
   */
  private String history(Command.History h) throws ClientException {
    String conv = h.group() ? "g:" + h.id() : "p:" + Math.min(me.id(), h.id()) + ":" + Math.max(me.id(), h.id());
    String who = Format.who(h.group(), h.id());
    if (!h.group() && h.id() == me.id()) {
      throw new ClientException("error: " + h.id() + " is your own id: history:userid shows a chat with another user");
    }
    Long before = h.older() ? oldestShown.get(conv) : null;
    if (before != null && before <= 1) {
      return "no older messages with " + who;
    }
    ObjectNode request = Messages.object(MsgId.SYNC).put("conv", conv).put("limit", HISTORY_PAGE);
    if (before != null) {
      request.put("before", before);
    }
    ObjectNode ack = session.call(request);
    List<ObjectNode> msgs = new ArrayList<>();
    for (JsonNode m : ack.path("msgs")) {
      msgs.add((ObjectNode) m);
    }
    if (msgs.isEmpty()) {
      return before == null ? "no messages with " + who + " yet" : "no older messages with " + who;
    }
    long first = msgs.get(0).path("cseq").asLong();
    long newest = msgs.get(msgs.size() - 1).path("cseq").asLong();
    oldestShown.put(conv, first);
    List<String> lines = new ArrayList<>();
    lines.add(Format.section("history " + who));
    msgs.forEach(m -> lines.add(Format.history(m, session.names())));
    String older = "history:" + (h.group() ? "g:" : "") + h.id() + ":more";
    lines.add("(#" + first + (newest > first ? "-#" + newest : "") + " of " + ack.path("last").asLong()
        + (ack.path("more").asBoolean() ? "; older: " + older + ")" : "; nothing older)"));
    if (before == null) {
      try {
        session.call(Messages.object(MsgId.READ).put("conv", conv).put("cseq", newest));
      } catch (ClientException e) {
        lines.add("not marked as read: " + e.getMessage());
      }
    }
    return String.join("\n", lines);
  }

  /** The users a FIND_USER_ACK lists, one {@code id name state} line each. */
  private String found(String prefix, ObjectNode ack) {
    List<String> lines = new ArrayList<>();
    for (JsonNode u : ack.path("users")) {
      session.names().learn(u.path("id").asLong(), u.path("name").asText(null));
      lines.add(u.path("id").asLong() + " " + u.path("name").asText() + " " + u.path("state").asText());
    }
    int count = lines.size();
    if (count == 0) {
      return "no user's name starts with '" + prefix + "'";
    }
    lines.add(0, Format.section("users named " + prefix + "..."));
    if (count >= FIND_LIMIT) {
      lines.add("(the first " + FIND_LIMIT + "; type more of the name to see the others)");
    }
    return String.join("\n", lines);
  }

  /**
   * CHANGE_PASSWORD. A wrong old password is answered by the ack itself (errno 1), not by an
   * ERROR. Our token stays valid, so a later reconnection logs in with it as before.
   */
  private String changePassword(Command.Password p) throws ClientException {
    ObjectNode ack = session.call(Messages.object(MsgId.CHANGE_PASSWORD).put("password", p.old())
        .put("newpassword", p.fresh()));
    int errno = ack.path("errno").asInt();
    if (errno != 0) {
      String reason = ack.path("errmsg").asText("refused") + ", " + errno;
      throw new ClientException(errno == 1
          ? "error: the old password is wrong (" + reason + "); the password was not changed"
          : "error: " + reason + "; the password was not changed");
    }
    return "password changed: this session stays logged in; everywhere else, log in with the new password";
  }

  /**
   * The fresh list (CARD: one request on this connection), then the conversations of its kind
   * with unread messages.
   */
  private String refreshed(Function<Profile, String> list, boolean groups) throws ClientException {
    Profile fresh = me.withCard(session.call(Messages.object(MsgId.CARD)));
    session.names().learn(fresh);
    List<String> lines = new ArrayList<>();
    lines.add(list.apply(fresh));
    List<Unread> unread = new ArrayList<>();
    try {
      unread().stream().filter(u -> u.group() == groups).forEach(unread::add);
    } catch (ClientException e) {
      // the list is what was asked for; unread counts are a bonus
    }
    if (!unread.isEmpty()) {
      lines.add(Format.unread(unread));
    }
    return String.join("\n", lines);
  }
}
