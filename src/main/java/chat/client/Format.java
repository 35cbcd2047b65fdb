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
      "help        : show all commands               help",
      "chat        : chat with a user                chat:friendid:message",
      "addfriend   : add a friend                    addfriend:friendid",
      "creategroup : create a group                  creategroup:groupname:groupdesc",
      "addgroup    : join a group                    addgroup:groupid",
      "groupchat   : chat in a group                 groupchat:groupid:message",
      "friends     : refresh and show your friends   friends",
      "groups      : refresh and show your groups    groups",
      "loginout    : log out, back to the menu       loginout",
      "quit        : log out and exit (or Ctrl-D)    quit");

  private Format() {
  }

  static String now() {
    return LocalDateTime.now().format(TIME);
  }

  /** A chat message received live or offline. */
  static String message(ObjectNode m) {
    String line = m.path("time").asText() + " [" + m.path("id").asLong() + "]" + m.path("name").asText()
        + " said: " + m.path("msg").asText();
    return m.path("msgid").asInt() == MsgId.GROUP_CHAT ? "group[" + m.path("groupid").asLong() + "]: " + line : line;
  }

  /** Anything the server sends that is neither a reply of ours nor a chat message. */
  static String pushed(ObjectNode m) {
    int msgid = m.path("msgid").asInt();
    if (msgid == MsgId.ONE_CHAT || msgid == MsgId.GROUP_CHAT) {
      return message(m);
    }
    if (msgid == MsgId.ERROR) {
      return error(m);
    }
    return "server: " + m;
  }

  static String error(ObjectNode reply) {
    return "error: " + reply.path("errmsg").asText("request failed") + " (" + reply.path("errno").asInt() + ")";
  }

  /** The user card shown after login. */
  static String card(Profile p) {
    List<String> lines = new ArrayList<>();
    lines.add("======================login user======================");
    lines.add("current login user => id:" + p.id() + " name:" + p.name());
    lines.add(friends(p));
    lines.add(groups(p));
    lines.add(RULE);
    return String.join("\n", lines);
  }

  static String friends(Profile p) {
    List<String> lines = new ArrayList<>();
    lines.add("----------------------friend list---------------------");
    p.friends().forEach(f -> lines.add(f.id() + " " + f.name() + " " + f.state()));
    return String.join("\n", lines);
  }

  static String groups(Profile p) {
    List<String> lines = new ArrayList<>();
    lines.add("----------------------group list----------------------");
    for (Profile.Group g : p.groups()) {
      lines.add(g.id() + " " + g.name() + " " + g.desc());
      g.members().forEach(u -> lines.add("    " + u.id() + " " + u.name() + " " + u.state() + " " + u.role()));
    }
    return String.join("\n", lines);
  }
}
