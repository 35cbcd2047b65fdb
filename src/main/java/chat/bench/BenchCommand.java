package chat.bench;

import chat.cli.Jar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code java -jar chat-fat.jar bench <scenario> …}: a load generator whose chat scenarios speak
 * only the ten legacy msgids and the legacy framing (plus token login and setup acks), so that the
 * same run can be pointed at any implementation of the protocol; {@code sync} reads PROTOCOL.md v2
 * history (SYNC, CHAT_ACK with cseq) and needs a server that has it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Jar.VersionProvider.class, sortOptions = false,
    description = "Load generator for the chat protocol (v1; sync: v2 history). Set the server's rate limit out of the "
        + "way first, e.g.%nCHAT_LIMITS_MESSAGES_PER_SECOND=10000000 CHAT_LIMITS_MESSAGE_BURST=10000000.",
    subcommands = {RegisterCommand.class, LoginCommand.class, OneCommand.class, GroupCommand.class,
        IdleCommand.class, SyncCommand.class, PresenceCommand.class})
public final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  public static void run(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a scenario in this process and returns its exit code (what tests call). */
  public static int execute(String... args) {
    return Jar.withVerbatimFooter(new CommandLine(new BenchCommand()), footer()).execute(args);
  }

  /** The end of {@code bench --help}: examples that run as printed (HelpExamplesTest parses them). */
  private static String footer() {
    String bench = Jar.command() + " bench";
    return "\n" + Jar.examples(
        "1-1 chat with the node on 6000: 50 pairs, 8 messages in flight each; 5 s warm-up, 20 s measured",
        bench + " one --port 6000 --pairs 50 --window 8",
        "1000 logins by token, 3 rounds measured (users from bench-users.jsonl, registered if missing)",
        bench + " login --port 6000 -n 1000 --by TOKEN");
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
