package chat.client;

import chat.cli.Jar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = Jar.VersionProvider.class,
    description = {
        "The ClusterChat terminal client: the legacy menu (1. login  2. register  3. quit) and commands"
            + " (chat:friendid:message, addfriend:id, removefriend:id, find:name, creategroup:name:desc, addgroup:id,"
            + " leavegroup:id, groupchat:id:message, friends, groups, history:id, history:g:id, unread, password,"
            + " loginout, quit; type help after login). Friends coming and going and changes to your friends and"
            + " groups are shown as they happen.",
        "When stdin is not a terminal, lines are read from it without prompts: menu lines"
            + " 'login ID PASSWORD' or 'register NAME PASSWORD' (or 1/2/3 followed by the values), then commands."
            + " Wherever a login asks for the user id, the user's name will do (all digits is an id; a name"
            + " with spaces goes in double quotes on a menu line: login \"li si\" PASSWORD)."})
public final class ClientCommand implements Callable<Integer> {
  static final int CLUSTER_PORT = 8000;
  static final int NODE_PORT = 6000;
  private static final String WHAT_TO_START = "Start a node with `" + Jar.command() + "` (it listens on " + NODE_PORT
      + ": client --port " + NODE_PORT + ") or a cluster with `scripts/cluster.sh up` (nginx on " + CLUSTER_PORT
      + ": client --port " + CLUSTER_PORT + "), or give the --host and --port of a running one.";

  @Option(names = "--host", paramLabel = "HOST", description = "server or nginx host (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT",
      description = "server port: 8000 is the cluster's nginx, a node listens on e.g. 6000 (default: 8000, else 6000)")
  Integer port;

  @Option(names = {"-u", "--user"}, paramLabel = "ID|NAME",
      description = "log in as this user (an id, or a name) at start, skipping the menu")
  String user;

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

  /** The end of {@code --help}: examples that run as printed (HelpExamplesTest runs them), the exit status. */
  private static String footer() {
    String client = Jar.command() + " client";
    return "\n" + Jar.examples(
        "the cluster's nginx on 127.0.0.1:" + CLUSTER_PORT + ", else a node on " + NODE_PORT, client,
        "straight to one node", client + " --port " + NODE_PORT,
        "a script: log in as user 13 (the password in pw.txt), run two commands, log out",
        client + " --port " + NODE_PORT + " -u 13 --password-file pw.txt \\\n-s chat:14:hello -s addgroup:3",
        "commands on stdin, which is not a terminal: one a line, no prompts",
        "printf 'login 13 secret\\nchat:14:hello\\n' |\n" + client + " --port " + NODE_PORT)
        + "\nExit status (scripts): 0 when every command succeeded, 1 when one failed, 2 for bad options.\n";
  }

  /** Runs the client on the given streams; {@code terminal} picks JLine over plain lines. */
  static int execute(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    return Jar.withVerbatimFooter(new CommandLine(new ClientCommand(in, out, terminal)), footer())
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  @Override
  public Integer call() throws IOException {
    validate();
    try (Console console = terminal ? new TerminalConsole() : new StreamConsole(in, out);
         ClientSession session = new ClientSession(candidates(), Duration.ofSeconds(timeoutSeconds),
             Duration.ofSeconds(reconnectSeconds), console::println)) {
      // connect before asking anything: nobody should type a password for a server that is not there
      try {
        Endpoint reached = session.connect();
        if (port == null) {
          console.println("connected to " + reached.described());
        }
      } catch (ClientException e) {
        console.println(e.getMessage() + "\n" + WHAT_TO_START);
        return 1;
      }
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

  /**
   * Where to connect: --port alone, or by default the cluster's nginx and then the quick-start
   * node (scripts/cluster.sh and java -jar with no settings), so that both work without --port.
   */
  private List<Endpoint> candidates() {
    return port != null
        ? List.of(new Endpoint(host, port, null))
        : List.of(new Endpoint(host, CLUSTER_PORT, "the cluster's nginx"), new Endpoint(host, NODE_PORT, "a single node"));
  }

  private void validate() {
    if (!sends.isEmpty() && user == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--send needs --user (and --password-file)");
    }
    if (port != null && (port < 1 || port > 65535)) {
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
