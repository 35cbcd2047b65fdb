package chat.client;

import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Everything the client prints, in the legacy client's layout (translated to English). */
final class Format {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String RULE = "======================================================";

  static final String MENU = String.join("\n",
      "========================",
      "1. login",
      "2. register",
      "3. quit",
      "========================");

  static final String HELP = String.join("\n",
      "show command list >>>",
      help("help", "show all commands", "help"),
      help("chat", "chat with a user", "chat:friendid:message"),
      help("addfriend", "add a friend", "addfriend:friendid"),
      help("removefriend", "remove a friend", "removefriend:friendid"),
      help("find", "look up users by name (prefix)", "find:name"),
      help("creategroup", "create a group", "creategroup:groupname:groupdesc"),
      help("addgroup", "join a group", "addgroup:groupid"),
      help("leavegroup", "leave a group", "leavegroup:groupid"),
      help("groupchat", "chat in a group", "groupchat:groupid:message"),
      help("reply", "answer message #N", "reply:userid:N:message or reply:g:groupid:N:message"),
      help("edit", "change your message #N", "edit:userid:N:new text or edit:g:groupid:N:new text"),
      help("recall", "take your message #N back", "recall:userid:N or recall:g:groupid:N"),
      help("block", "stop a user reaching you", "block:userid"),
      help("unblock", "let a blocked user back", "unblock:userid"),
      help("friends", "refresh and show your friends", "friends"),
      help("groups", "refresh and show your groups", "groups"),
      help("history", "past messages with a user", "history:userid[:more]   (:more = older ones)"),
      help("history", "past messages in a group", "history:g:groupid[:more]"),
      help("unread", "conversations with unread ones", "unread"),
      help("password", "change your password", "password   (asks for the old and the new one)"),
      help("loginout", "log out, back to the menu", "loginout"),
      help("quit", "log out and exit (or Ctrl-D)", "quit"));

  private Format() {
  }

  private static String help(String command, String what, String usage) {
    return String.format("%-12s: %-32s%s", command, what, usage);
  }

  static String now() {
    return LocalDateTime.now().format(TIME);
  }

  /**
   * A chat message, received live or offline or read in history, as the legacy client shows it,
   * with its number in the conversation in front (what {@code reply}, {@code edit} and
   * {@code recall} take): {@code #57 2026-11-25 12:39:35 [13]li si said: hi}; a reply says what it
   * answers, an edited message says so, a recalled one has no text.
   */
  static String message(ObjectNode m) {
    String who = m.path("time").asText() + " [" + m.path("id").asLong() + "]" + m.path("name").asText();
    String line;
    if (m.path("recalled").asBoolean()) {
      line = who + ": message recalled";
    } else {
      line = who + (m.has("reply") ? " replied to #" + m.path("reply").asText() : " said") + ": "
          + m.path("msg").asText() + (m.has("edited") ? " (edited)" : "");
    }
    if (m.path("msgid").asInt() == MsgId.GROUP_CHAT) {
      line = "group[" + m.path("groupid").asLong() + "]: " + line;
    }
    return m.has("cseq") ? "#" + m.path("cseq").asLong() + " " + line : line;
  }

  /** An entry of a conversation's history: a message, or an edit or recall of one, with its own number. */
  static String history(ObjectNode m, Names names) {
    return m.path("msgid").asInt() == MsgId.CHANGED ? "#" + m.path("cseq").asLong() + " " + changed(m, names)
        : message(m);
  }

  /**
   * An edit or recall (CHANGED): {@code [13] li si edited #57: new text}, {@code group[3]: [13] li si
   * recalled #57}; one made by another session of ours in a one-to-one chat names the chat.
   */
  static String changed(ObjectNode m, Names names) {
    long by = m.path("id").asLong();
    String conv = m.path("conv").asText();
    String what = names.label(by) + ("recall".equals(m.path("kind").asText()) ? " recalled #" : " edited #")
        + m.path("target").asLong() + (m.has("msg") ? ": " + m.path("msg").asText() : "");
    if (conv.startsWith("g:")) {
      return "group[" + conv.substring(2) + "]: " + what;
    }
    if (!names.isMe(by)) {
      return what;
    }
    String[] users = conv.split(":");
    long peer = names.isMe(Long.parseLong(users[1])) ? Long.parseLong(users[2]) : Long.parseLong(users[1]);
    return what + " (chat with " + names.label(peer) + ")";
  }

  /** A section heading in the legacy card's style, 54 characters wide. */
  static String section(String title) {
    String left = "----------------------" + title;
    return left + "-".repeat(Math.max(3, RULE.length() - left.length()));
  }

  /** {@code [14]} for a user, {@code group[3]} for a group. */
  static String who(boolean group, long id) {
    return (group ? "group[" : "[") + id + "]";
  }

  /** The unread section: a line per conversation with unread messages; empty when there are none. */
  static String unread(List<Unread> unread) {
    if (unread.isEmpty()) {
      return "";
    }
    List<String> lines = new ArrayList<>();
    lines.add(section("unread"));
    unread.forEach(u -> lines.add(who(u.group(), u.id()) + " " + u.name() + ": " + u.count() + " unread"));
    return String.join("\n", lines);
  }

  /**
   * Anything the server sends that is not a reply of ours: a chat message, a friend coming or
   * going (PRESENCE), a change to our friends or groups (SOCIAL), an error. {@code names} names
   * the users a push gives only by id.
   */
  static String pushed(ObjectNode m, Names names) {
    int msgid = m.path("msgid").asInt();
    if (msgid == MsgId.ONE_CHAT || msgid == MsgId.GROUP_CHAT) {
      return message(m);
    }
    if (msgid == MsgId.CHANGED) {
      return changed(m, names);
    }
    if (msgid == MsgId.ERROR) {
      return error(m);
    }
    if (msgid == MsgId.PRESENCE && m.path("state").isTextual()) {
      return names.label(m.path("id").asLong()) + " is " + m.path("state").asText();
    }
    if (msgid == MsgId.SOCIAL) {
      String social = social(m, names);
      if (social != null) {
        return social;
      }
    }
    return "server: " + m;
  }

  /** A SOCIAL event in words; null for an event this client does not know. */
  private static String social(ObjectNode m, Names names) {
    String who = names.label(m.path("id").asLong());
    String group = "group[" + m.path("groupid").asLong() + "]";
    return switch (m.path("event").asText()) {
      case "friend_added" -> who + " added you as a friend";
      case "friend_removed" -> who + " removed you as a friend";
      case "member_joined" -> who + " joined " + group;
      case "member_left" -> {
        if (!m.has("creator")) {
          yield who + " left " + group;
        }
        long creator = m.path("creator").asLong();
        yield who + " left " + group + "; " + (names.isMe(creator) ? "you are" : names.label(creator) + " is")
            + " its creator now";
      }
      default -> null;
    };
  }

  static String error(ObjectNode reply) {
    return "error: " + reply.path("errmsg").asText("request failed") + " (" + reply.path("errno").asInt() + ")";
  }

  /** The user card shown after login; the unread section only when something is unread. */
  static String card(Profile p, List<Unread> unread) {
    List<String> lines = new ArrayList<>();
    lines.add("======================login user======================");
    lines.add("current login user => id:" + p.id() + " name:" + p.name());
    lines.add(friends(p));
    lines.add(groups(p));
    if (!unread.isEmpty()) {
      lines.add(unread(unread));
    }
    lines.add(RULE);
    return String.join("\n", lines);
  }

  static String friends(Profile p) {
    List<String> lines = new ArrayList<>();
    lines.add(section("friend list"));
    p.friends().forEach(f -> lines.add(f.id() + " " + f.name() + " " + f.state()));
    return String.join("\n", lines);
  }

  /** The friends, then the users blocked (by id, and name as far as known), when there are any. */
  static String friendsAndBlocked(Profile p, Names names) {
    if (p.blocked().isEmpty()) {
      return friends(p);
    }
    List<String> lines = new ArrayList<>();
    lines.add(friends(p));
    lines.add(section("blocked"));
    p.blocked().forEach(id -> lines.add(names.label(id)));
    return String.join("\n", lines);
  }

  static String groups(Profile p) {
    List<String> lines = new ArrayList<>();
    lines.add(section("group list"));
    for (Profile.Group g : p.groups()) {
      lines.add(g.id() + " " + g.name() + " " + g.desc());
      g.members().forEach(u -> lines.add("    " + u.id() + " " + u.name() + " " + u.state() + " " + u.role()));
    }
    return String.join("\n", lines);
  }
}
