package chat;

import chat.testing.MainRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar's top-level command line, run as a newcomer runs it. */
class CommandLineTest {
  @TempDir
  Path dir;

  @Test
  void helpShowsTheSubcommandsTheCommonSettingsAndTheVersion() {
    for (String flag : List.of("--help", "help", "-h")) {
      MainRun run = MainRun.run(dir, Map.of(), null, flag);
      assertEquals(0, run.exit(), run.output());
      String help = run.output();
      assertTrue(help.startsWith("ClusterChat "), help);
      assertTrue(help.contains("java -jar target/chat-fat.jar client [OPTIONS]"), help);
      assertTrue(help.contains("java -jar target/chat-fat.jar bench SCENARIO [OPTIONS]"), help);
      // variable, key, default, meaning: the defaults are the configuration's own
      assertTrue(help.matches("(?s).*\\n  CHAT_PORTS +ports +6000 +chat ports, comma-separated\\n.*"), help);
      assertTrue(help.matches("(?s).*\\n  CHAT_STORE_PATH +store\\.path +data/chat +embedded: .*"), help);
      assertTrue(help.matches("(?s).*\\n  CHAT_METRICS_PORT +metrics\\.port +0 +.*"), help);
      assertTrue(help.contains("CHAT_PORTS=6001 CHAT_WEB_PORT=8081 CHAT_STORE_PATH=data/node2/chat"), help);
    }
  }

  @Test
  void versionIsPrinted() {
    for (String flag : List.of("--version", "-V", "version")) {
      MainRun run = MainRun.run(dir, Map.of(), null, flag);
      assertEquals(0, run.exit(), run.output());
      assertTrue(run.output().startsWith("ClusterChat "), run.output());
    }
  }

  @Test
  void anUnknownArgumentPointsAtHelp() {
    MainRun run = MainRun.run(dir, Map.of(), null, "--nonsense");
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("unknown argument '--nonsense' (try --help)"), run.output());
    MainRun port = MainRun.run(dir, Map.of(), null, "--port", "6001");
    assertEquals(2, port.exit(), port.output());
    assertTrue(port.output().contains("a node's ports are set with CHAT_PORTS (CHAT_PORTS=6001 java -jar"), port.output());
  }

  @Test
  void aMistypedVariableGetsASuggestion() {
    MainRun run = MainRun.run(dir, Map.of("CHAT_PORT", "6001"), null);
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("unknown environment variable CHAT_PORT: not a configuration key (did you mean CHAT_PORTS?)"),
        run.output());
  }
}
