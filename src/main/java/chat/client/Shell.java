package chat.client;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The legacy client's flow: main menu (login, register, quit), then the user card, offline
 * messages and commands until {@code loginout} (back to the menu) or {@code quit}. Commands typed
 * while the connection is down are queued; quit and Ctrl-D leave at once, the end of a script's
 * input first waits for them to go out. Counts what failed, for the exit code of scripts.
 */
final class Shell {
  private enum Next { STAY, MENU, EXIT }

  private final Console console;
  private final ClientSession session;
  /** Queued commands fail on the thread that reconnected. */
  private final AtomicInteger failures = new AtomicInteger();

  Shell(Console console, ClientSession session) {
    this.console = console;
    this.session = session;
  }

  /** For scripts: 0 when nothing failed, 1 otherwise. A person saw each error already: 0. */
  int exitCode() {
    return failures.get() == 0 || console.interactive() ? 0 : 1;
  }

  /** The menu until quit or the end of input. */
  void menu() {
    while (true) {
      if (console.interactive()) {
        console.println(Format.MENU);
      }
      String line = console.readLine("choice: ");
      if (line == null) {
        return;
      }
      String[] words = line.strip().split("\\s+", 2);
      String rest = words.length > 1 ? words[1] : "";
      boolean goOn = switch (words[0]) {
        case "" -> true;
        case "1" -> login(console.readLine("userid or name: "), console.readSecret("userpassword: "));
        case "2" -> register(console.readLine("username: "), console.readSecret("userpassword: "));
        case "3", "quit", "exit" -> false;
        case "login" -> login(loginUser(rest), afterLoginUser(rest));
        case "register" -> register(beforeLastWord(rest), lastWord(rest));
        default -> fail("invalid choice '" + line.strip() + "': type 1, 2 or 3"
            + (console.interactive() ? "" : " (or: login ID-OR-NAME PASSWORD, register NAME PASSWORD)"));
      };
      if (!goOn) {
        return;
      }
    }
  }

  /**
   * Logs in as given (a user id, or a name), then commands; back to the menu after loginout. A
   * failed login ends it.
   */
  void start(String user, String password) {
    Actions actions = enter(user, password);
    if (actions != null && commands(actions)) {
      menu();
    }
  }

  /** Logs in, runs {@code lines} as commands, logs out. */
  void script(String user, String password, List<String> lines) {
    Actions actions = enter(user, password);
    if (actions == null) {
      return;
    }
    for (String line : lines) {
      if (execute(line, actions) != Next.STAY) {
        return;
      }
    }
    session.awaitQueued();
    logout();
  }

  /** The menu's login; true to show the menu again, false when the user is done. */
  private boolean login(String user, String password) {
    if (user == null || password == null) {
      return false;
    }
    if (user.isBlank()) {
      return fail("type your userid or your name");
    }
    Actions actions = enter(user.strip(), password);
    return actions == null || commands(actions);
  }

  /**
   * Logs in and shows the user card (with the conversations that have unread messages) and what
   * waited offline; null when the login failed.
   */
  private Actions enter(String user, String password) {
    Profile me;
    try {
      me = session.login(user, password);
    } catch (ClientException e) {
      fail(e.getMessage());
      return null;
    }
    Actions actions = new Actions(session, me);
    List<Unread> unread;
    try {
      unread = actions.unread();
    } catch (ClientException e) {
      // a server without conversations (or a connection lost at once): the legacy card
      unread = List.of();
    }
    console.println(Format.card(me, unread));
    me.offline().forEach(m -> console.println(Format.message(m)));
    if (console.interactive()) {
      console.println(Format.HELP);
    }
    return actions;
  }

  private boolean register(String name, String password) {
    if (name == null || password == null) {
      return false;
    }
    if (name.isBlank() || password.isEmpty()) {
      return fail("name and password must not be empty");
    }
    try {
      long id = session.register(name.strip(), password);
      console.println(name.strip() + " registered, your userid is " + id + ": do not forget it!");
    } catch (ClientException e) {
      fail(e.getMessage());
    }
    return true;
  }

  private boolean commands(Actions actions) {
    while (true) {
      String line = console.readLine("> ");
      if (line == null) {
        // Ctrl-D at a terminal leaves now; a script's end leaves once what it queued has gone out
        if (!console.interactive()) {
          session.awaitQueued();
        }
        logout();
        return false;
      }
      if (line.isBlank()) {
        continue;
      }
      Next next = execute(line, actions);
      if (next != Next.STAY) {
        return next == Next.MENU;
      }
      if (!session.loggedIn()) {
        console.println("you are no longer logged in: log in again");
        return true;
      }
    }
  }

  /** Runs one command line and says where to go next. */
  private Next execute(String line, Actions actions) {
    Command command;
    try {
      command = Command.parse(line);
    } catch (IllegalArgumentException e) {
      fail("error: " + e.getMessage());
      return Next.STAY;
    }
    if (command instanceof Command.Password p && p.prompted()) {
      command = askPasswords();
      if (command == null) {
        return Next.STAY;
      }
    }
    Command parsed = command;
    if (command instanceof Command.Help) {
      console.println(Format.HELP);
    } else if (command instanceof Command.Logout) {
      logout();
      return Next.MENU;
    } else if (command instanceof Command.Quit) {
      logout();
      return Next.EXIT;
    } else if (session.queueWhileReconnecting(new QueuedCommands.Queued(() -> run(parsed, actions),
        reason -> fail("not sent (" + reason + "): " + shown(parsed, line))))) {
      console.println("queued, will send after reconnect");
    } else {
      run(command, actions);
    }
    return Next.STAY;
  }

  /**
   * {@code password} alone: the old and the new password, masked, like login's (at a terminal the
   * new one twice, since nobody sees what was typed); in a script, the next two lines. Null when
   * they were not given (end of input, empty, the two differ): said why already.
   */
  private Command.Password askPasswords() {
    String old = console.readSecret("old password: ");
    String fresh = old == null ? null : console.readSecret("new password: ");
    if (fresh == null) {
      fail("password not changed: no input");
      return null;
    }
    if (old.isEmpty() || fresh.isEmpty()) {
      fail("error: a password must not be empty; the password was not changed");
      return null;
    }
    if (console.interactive()) {
      String again = console.readSecret("new password again: ");
      if (!fresh.equals(again)) {
        fail("error: the two new passwords differ; the password was not changed");
        return null;
      }
    }
    return new Command.Password(old, fresh);
  }

  /** The command line as typed, but never a password. */
  private static String shown(Command command, String line) {
    return command instanceof Command.Password ? "password" : line.strip();
  }

  private void run(Command command, Actions actions) {
    try {
      console.println(actions.run(command));
    } catch (ClientException e) {
      fail(e.getMessage());
    }
  }

  private void logout() {
    try {
      session.logout();
      console.println("logged out");
    } catch (ClientException e) {
      // leaving anyway; the server logs us out when the connection closes
      console.println("logout: " + e.getMessage());
    }
  }

  /** Reports a failure and carries on. */
  private boolean fail(String message) {
    failures.incrementAndGet();
    console.println(message);
    return true;
  }

  /** Who a menu line {@code login USER PASSWORD} logs in as: the first word, or a name in double quotes. */
  private static String loginUser(String s) {
    int close = s.startsWith("\"") ? s.indexOf('"', 1) : -1;
    return close > 0 ? s.substring(1, close) : s.split("\\s+", 2)[0];
  }

  /** The password of {@code login USER PASSWORD}: everything after the user. */
  private static String afterLoginUser(String s) {
    int close = s.startsWith("\"") ? s.indexOf('"', 1) : -1;
    if (close > 0) {
      return s.substring(close + 1).stripLeading();
    }
    String[] w = s.split("\\s+", 2);
    return w.length > 1 ? w[1] : "";
  }

  private static String lastWord(String s) {
    int space = s.lastIndexOf(' ');
    return space < 0 ? "" : s.substring(space + 1);
  }

  private static String beforeLastWord(String s) {
    int space = s.lastIndexOf(' ');
    return space < 0 ? s : s.substring(0, space);
  }
}
