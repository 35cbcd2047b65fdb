package chat;

import chat.bench.BenchCommand;
import chat.client.ClientCommand;
import chat.server.ServerCommand;

import java.util.Arrays;

/**
 * The jar's entry point: {@code client …} starts the terminal client, {@code bench …} the load
 * generator; anything else (nothing, {@code -conf file}, {@code --help}, {@code --version}) goes to
 * {@link ServerCommand}, which starts a server node.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    // Vert.x logs through SLF4J/Logback like the rest of the node
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    String command = args.length > 0 ? args[0] : "";
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    switch (command) {
      case "client" -> ClientCommand.run(rest);
      case "bench" -> BenchCommand.run(rest);
      default -> ServerCommand.run(args);
    }
  }
}
