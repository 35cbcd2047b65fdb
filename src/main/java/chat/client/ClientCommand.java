package chat.client;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code java -jar chat-fat.jar client …}: the options, and the choice between a person at a
 * terminal and a script (commands from {@code --send} or from stdin).
 */
@Command(name = "client", mixinStandardHelpOptions = true, version = "ClusterChat client 1.0",
    description = {
        "The ClusterChat terminal client: the legacy menu (1. login  2. register  3. quit) and commands"
            + " (chat:friendid:message, addfriend:id, creategroup:name:desc, addgroup:id, groupchat:id:message,"
            + " friends, groups, loginout, quit; type help after login).",
        "When stdin is not a terminal, lines are read from it without prompts: menu lines"
            + " 'login ID PASSWORD' or 'register NAME PASSWORD' (or 1/2/3 followed by the values), then commands."},
    footer = {"",
        "Examples:",
        "  client                                  through nginx on 127.0.0.1:8000",
        "  client --port 6000                      straight to one node",
        "  client -u 13 --password-file pw.txt -s chat:14:hello -s addgroup:3",
        "  printf 'login 13 secret%%nchat:14:hello%%n' | client",
        "",
        "Exit status (scripts): 0 when every command succeeded, 1 when one failed, 2 for bad options."})
public final class ClientCommand implements Callable<Integer> {

  @Option(names = "--host", paramLabel = "HOST", description = "server or nginx host (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "server port: 8000 is nginx, a node listens on e.g. 6000 (default: ${DEFAULT-VALUE})")
  int port = 8000;

  @Option(names = {"-u", "--user"}, paramLabel = "ID", description = "log in as this user id at start, skipping the menu")
  Long user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "file whose first line is the password for --user (otherwise it is asked for)")
  Path passwordFile;

  @Option(names = {"-s", "--send"}, paramLabel = "COMMAND",
      description = "run this command after logging in as --user, then log out and exit; repeatable")
  List<String> sends = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "wait this long for each answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds = 30;

  @Option(names = "--reconnect", paramLabel = "SECONDS",
      description = "after a dropped connection, keep trying to log back in this long (default: ${DEFAULT-VALUE})")
  int reconnectSeconds = 120;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final InputStream in;
  private final PrintStream out;
  private final boolean terminal;

  ClientCommand(InputStream in, PrintStream out, boolean terminal) {
    this.in = in;
    this.out = out;
    this.terminal = terminal;
  }

  /** The jar's {@code client} sub-command: runs, then exits with the client's status. */
  public static void run(String[] args) {
    System.exit(execute(args, System.in, System.out, System.err, attachedToTerminal()));
  }

  /** Runs the client on the given streams; {@code terminal} picks JLine over plain lines. */
  static int execute(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    return new CommandLine(new ClientCommand(in, out, terminal))
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  @Override
  public Integer call() throws IOException {
    validate();
    try (Console console = terminal ? new TerminalConsole() : new StreamConsole(in, out);
         Session session = new Session(host, port, Duration.ofSeconds(timeoutSeconds),
             Duration.ofSeconds(reconnectSeconds), console::println)) {
      Shell shell = new Shell(console, session);
      if (user == null) {
        shell.menu();
        return shell.exitCode();
      }
      String password = passwordFile != null ? firstLine(passwordFile) : console.readSecret("userpassword: ");
      if (!sends.isEmpty()) {
        shell.script(user, password, sends);
        return shell.exitCode();
      }
      shell.start(user, password);
      return shell.exitCode();
    }
  }

  private void validate() {
    if (!sends.isEmpty() && user == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--send needs --user (and --password-file)");
    }
    if (port < 1 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1..65535");
    }
    if (timeoutSeconds < 1 || reconnectSeconds < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive, --reconnect not negative");
    }
  }

  private String firstLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || lines.get(0).isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "password file " + file + " is empty");
    }
    return lines.get(0);
  }

  /** Both stdin and stdout on a terminal (System.console() is null otherwise on Java 17 to 21). */
  private static boolean attachedToTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ returns a console even for pipes and says so here
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
