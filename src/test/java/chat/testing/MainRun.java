package chat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The jar's entry point run to its end in a child JVM, as a user or a script runs it: exit code and output. */
public record MainRun(int exit, String output) {

  /**
   * Runs {@code chat.Main args} in {@code dir} with {@code env} added to the environment and
   * {@code stdin} (or nothing) as its input; stdout and stderr together.
   */
  public static MainRun run(Path dir, Map<String, String> env, String stdin, String... args) {
    Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(NodeProcess.javaCommand(args))
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("chat.Main " + String.join(" ", args) + " did not exit; output:\n" + Files.readString(out));
      }
      return new MainRun(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
