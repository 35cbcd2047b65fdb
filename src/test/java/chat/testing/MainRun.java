package chat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The jar's entry point run to its end in a child JVM, as a user or a script runs it (or a shell
 * command line that runs it): exit code and output.
 */
public record MainRun(int exit, String output) {

  /**
   * Runs {@code chat.Main args} in {@code dir} with {@code env} added to the environment and
   * {@code stdin} (or nothing) as its input; stdout and stderr together.
   */
  public static MainRun run(Path dir, Map<String, String> env, String stdin, String... args) {
    return run(dir, env, stdin, NodeProcess.javaCommand(args), Duration.ofSeconds(60));
  }

  /** Runs {@code commandLine} with bash, as typed at a prompt, for at most {@code limit}; otherwise as {@link #run}. */
  public static MainRun shell(Path dir, Map<String, String> env, String stdin, String commandLine, Duration limit) {
    return run(dir, env, stdin, List.of("bash", "-c", commandLine), limit);
  }

  private static MainRun run(Path dir, Map<String, String> env, String stdin, List<String> command, Duration limit) {
    Path out = null;
    try {
      out = Files.createTempFile("chat-run-", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not exit; output:\n" + Files.readString(out));
      }
      return new MainRun(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }
}
