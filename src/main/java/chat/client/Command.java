package chat.client;

import java.util.Locale;

/** One line typed after login, in the legacy syntax {@code name:arg:rest}, parsed and checked. */
sealed interface Command {
  String PASSWORD_USAGE = "expected password alone (it asks for the old and the new one)"
      + " or password OLD NEW (passwords without spaces)";

  record Help() implements Command {
  }

  record Chat(long to, String text) implements Command {
  }

  record AddFriend(long friend) implements Command {
  }

  record CreateGroup(String name, String desc) implements Command {
  }

  record AddGroup(long group) implements Command {
  }

  record GroupChat(long group, String text) implements Command {
  }

  record Friends() implements Command {
  }

  record Groups() implements Command {
  }

  /**
   * A conversation's newest messages, or ({@code older}) the page before the oldest shown so far:
   * with user {@code id}, or in group {@code id}.
   */
  record History(boolean group, long id, boolean older) implements Command {
  }

  /** The conversations with messages not yet read. */
  record Unread() implements Command {
  }

  record RemoveFriend(long friend) implements Command {
  }

  record LeaveGroup(long group) implements Command {
  }

  /** Users whose name starts with {@code prefix}, in any case. */
  record Find(String prefix) implements Command {
  }

  /**
   * A new password. {@code password} alone leaves both null: the shell asks for them, masked;
   * {@code password OLD NEW} gives them on the line (scripts).
   */
  record Password(String old, String fresh) implements Command {
    boolean prompted() {
      return old == null;
    }

    /** Never the passwords themselves, wherever a command is printed or logged. */
    @Override
    public String toString() {
      return prompted() ? "Password[to be asked]" : "Password[***, ***]";
    }
  }

  /** Stops a user reaching us (and us them), and ends a friendship with them. */
  record Block(long user) implements Command {
  }

  record Unblock(long user) implements Command {
  }

  /** A conversation as typed: with user {@code id}, or ({@code group}) group {@code id}. */
  record Conv(boolean group, long id) {
    /** PROTOCOL.md's name of it, for user {@code me}. */
    String key(long me) {
      return group ? "g:" + id : "p:" + Math.min(me, id) + ":" + Math.max(me, id);
    }
  }

  /** A message that answers message {@code cseq} of the conversation. */
  record Reply(Conv conv, long cseq, String text) implements Command {
  }

  /** A new text for our message {@code cseq} of the conversation. */
  record Edit(Conv conv, long cseq, String text) implements Command {
  }

  /** Takes our message {@code cseq} of the conversation back (any of a group we created). */
  record Recall(Conv conv, long cseq) implements Command {
  }

  record Logout() implements Command {
  }

  record Quit() implements Command {
  }

  /** Parses one non-blank line; the exception's message tells the user what was wrong. */
  static Command parse(String line) {
    String trimmed = line.strip();
    String[] words = trimmed.split("\\s+");
    if (words[0].equalsIgnoreCase("password")) {
      // before the colon syntax: a password may contain colons
      return password(words);
    }
    int colon = trimmed.indexOf(':');
    String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    String args = colon < 0 ? "" : trimmed.substring(colon + 1);
    return switch (name) {
      case "help" -> new Help();
      case "chat" -> {
        String[] p = two(args, "chat:friendid:message");
        yield new Chat(id(p[0], "friendid", "chat:friendid:message"), text(p[1], "message", "chat:friendid:message"));
      }
      case "addfriend" -> new AddFriend(id(args, "friendid", "addfriend:friendid"));
      case "creategroup" -> {
        String[] p = two(args, "creategroup:groupname:groupdesc");
        yield new CreateGroup(text(p[0].strip(), "groupname", "creategroup:groupname:groupdesc"), p[1].strip());
      }
      case "addgroup" -> new AddGroup(id(args, "groupid", "addgroup:groupid"));
      case "groupchat" -> {
        String[] p = two(args, "groupchat:groupid:message");
        yield new GroupChat(id(p[0], "groupid", "groupchat:groupid:message"), text(p[1], "message", "groupchat:groupid:message"));
      }
      case "friends" -> new Friends();
      case "groups" -> new Groups();
      case "history" -> history(args);
      case "unread" -> new Unread();
      case "removefriend" -> new RemoveFriend(id(args, "friendid", "removefriend:friendid"));
      case "leavegroup" -> new LeaveGroup(id(args, "groupid", "leavegroup:groupid"));
      case "find" -> new Find(text(args.strip(), "name", "find:name"));
      case "block" -> new Block(id(args, "userid", "block:userid"));
      case "unblock" -> new Unblock(id(args, "userid", "unblock:userid"));
      case "reply" -> {
        Numbered n = numbered(args, true, REPLY_USAGE);
        yield new Reply(n.conv(), n.cseq(), n.rest());
      }
      case "edit" -> {
        Numbered n = numbered(args, true, EDIT_USAGE);
        yield new Edit(n.conv(), n.cseq(), n.rest());
      }
      case "recall" -> {
        Numbered n = numbered(args, false, RECALL_USAGE);
        yield new Recall(n.conv(), n.cseq());
      }
      case "password" -> throw new IllegalArgumentException(PASSWORD_USAGE);
      case "loginout", "logout" -> new Logout();
      case "quit", "exit" -> new Quit();
      default -> throw new IllegalArgumentException("unknown command '" + name + "' (type help for the list)");
    };
  }

  /**
   * {@code password} (asked for), or {@code password OLD NEW}: two words, so that neither may
   * contain white space there; such a password is typed at the prompts instead.
   */
  private static Password password(String[] words) {
    if (words.length == 1) {
      return new Password(null, null);
    }
    if (words.length != 3) {
      throw new IllegalArgumentException(PASSWORD_USAGE);
    }
    return new Password(words[1], words[2]);
  }

  /** {@code ID}, {@code ID:more}, {@code g:ID} or {@code g:ID:more}. */
  private static History history(String args) {
    String usage = "history:userid or history:g:groupid, then :more for older messages";
    String[] p = args.split(":", -1);
    boolean group = p.length > 1 && p[0].strip().equalsIgnoreCase("g");
    int at = group ? 1 : 0;
    if (p.length > at + 2 || (p.length == at + 2 && !p[at + 1].strip().equalsIgnoreCase("more"))) {
      throw new IllegalArgumentException("expected " + usage);
    }
    return new History(group, id(p[at], group ? "groupid" : "userid", usage), p.length == at + 2);
  }

  String REPLY_USAGE = "reply:userid:N:message or reply:g:groupid:N:message";
  String EDIT_USAGE = "edit:userid:N:new text or edit:g:groupid:N:new text";
  String RECALL_USAGE = "recall:userid:N or recall:g:groupid:N";

  /** A conversation, the number of one of its messages, and the text after them (or none). */
  record Numbered(Conv conv, long cseq, String rest) {
  }

  /** {@code ID:N[:text]} or {@code g:ID:N[:text]}; the text may contain colons. */
  private static Numbered numbered(String args, boolean withText, String usage) {
    boolean group = args.strip().toLowerCase(Locale.ROOT).startsWith("g:");
    String[] p = (group ? args.strip().substring(2) : args).split(":", withText ? 3 : -1);
    if (p.length != (withText ? 3 : 2)) {
      throw new IllegalArgumentException("expected " + usage);
    }
    Conv conv = new Conv(group, id(p[0], group ? "groupid" : "userid", usage));
    long cseq = id(p[1].strip().replaceFirst("^#", ""), "the message number N", usage);
    return new Numbered(conv, cseq, withText ? text(p[2], "message", usage) : null);
  }

  /** Splits at the first colon only: a message may itself contain colons. */
  private static String[] two(String args, String usage) {
    int colon = args.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected " + usage);
    }
    return new String[] {args.substring(0, colon), args.substring(colon + 1)};
  }

  private static long id(String value, String what, String usage) {
    try {
      long id = Long.parseLong(value.strip());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(what + " must be a positive number, not '" + value.strip() + "' (" + usage + ")");
  }

  private static String text(String value, String what, String usage) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " is empty (" + usage + ")");
    }
    return value;
  }
}
