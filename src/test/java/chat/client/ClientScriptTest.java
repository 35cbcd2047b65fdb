package chat.client;

import chat.testing.MainRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar's entry point in a child JVM, run the way a script runs it. */
class ClientScriptTest extends ClientTestBase {
  @TempDir
  Path dir;

  @Test
  void sendFlagsRunCommandsAndTheExitCodeTellsWhetherAllSucceeded() throws Exception {
    String aliceName = name("alice");
    long a = register(aliceName, "pw-a");
    String bobName = name("bob");
    long b = register(bobName, "pw-b");
    Path password = Files.writeString(dir.resolve("pw"), "pw-a\n");

    MainRun ok = run(null, "client", "--port", Integer.toString(node.port()), "--user", Long.toString(a),
        "--password-file", password.toString(), "--send", "addfriend:" + b, "--send", "chat:" + b + ":from a script");
    assertEquals(0, ok.exit(), ok.output());
    assertTrue(ok.output().contains("[" + b + "] " + bobName + " is now your friend"), ok.output());
    assertTrue(ok.output().contains("sent to [" + b + "]: stored, delivered when they log in"), ok.output());

    MainRun failed = run(null, "client", "--port", Integer.toString(node.port()), "-u", Long.toString(a),
        "--password-file", password.toString(), "-s", "chat:99999999:nobody", "-s", "chat:" + b + ":after the error");
    assertEquals(1, failed.exit(), failed.output());
    assertTrue(failed.output().contains("error: no user 99999999 (106)"), failed.output());
    assertTrue(failed.output().contains("sent to [" + b + "]"), failed.output());

    MainRun usage = run(null, "client", "--send", "chat:1:hi");
    assertEquals(2, usage.exit(), usage.output());
    assertTrue(usage.output().contains("--send needs --user"), usage.output());
  }

  @Test
  void commandsFromStdinWhenItIsNotATerminal() throws Exception {
    long b = register(name("bob"), "pw-b");
    MainRun bob = run("login " + b + " pw-b\nchat:" + b + ":note to self\nnonsense\n", "client", "--port",
        Integer.toString(node.port()));
    assertEquals(1, bob.exit(), bob.output());
    assertTrue(bob.output().contains("current login user => id:" + b), bob.output());
    assertTrue(bob.output().contains("error: unknown command 'nonsense'"), bob.output());
    assertTrue(bob.output().contains("logged out"), bob.output());
  }

  private MainRun run(String stdin, String... args) {
    return MainRun.run(dir, Map.of(), stdin, args);
  }
}
