package chat.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    long b = register(name("bob"), "pw-b");
    Path password = Files.writeString(dir.resolve("pw"), "pw-a\n");

    Run ok = run(null, "client", "--port", Integer.toString(node.port()), "--user", Long.toString(a),
        "--password-file", password.toString(), "--send", "addfriend:" + b, "--send", "chat:" + b + ":from a script");
    assertEquals(0, ok.exit, ok.output);
    assertTrue(ok.output.contains("[" + b + "] is now your friend"), ok.output);
    assertTrue(ok.output.contains("sent to [" + b + "]: stored, delivered when they log in"), ok.output);

    Run failed = run(null, "client", "--port", Integer.toString(node.port()), "-u", Long.toString(a),
        "--password-file", password.toString(), "-s", "chat:99999999:nobody", "-s", "chat:" + b + ":after the error");
    assertEquals(1, failed.exit, failed.output);
    assertTrue(failed.output.contains("error: no user 99999999 (106)"), failed.output);
    assertTrue(failed.output.contains("sent to [" + b + "]"), failed.output);

    Run usage = run(null, "client", "--send", "chat:1:hi");
    assertEquals(2, usage.exit, usage.output);
    assertTrue(usage.output.contains("--send needs --user"), usage.output);
  }

  @Test
  void commandsFromStdinWhenItIsNotATerminal() throws Exception {
    long b = register(name("bob"), "pw-b");
    Run bob = run("login " + b + " pw-b\nchat:" + b + ":note to self\nnonsense\n", "client", "--port",
        Integer.toString(node.port()));
    assertEquals(1, bob.exit, bob.output);
    assertTrue(bob.output.contains("current login user => id:" + b), bob.output);
    assertTrue(bob.output.contains("error: unknown command 'nonsense'"), bob.output);
    assertTrue(bob.output.contains("logged out"), bob.output);
  }

  private record Run(int exit, String output) {
  }

  private Run run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "chat.Main"));
    command.addAll(List.of(args));
    Path out = dir.resolve("out-" + System.nanoTime());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("client did not exit; output:\n" + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }
}
