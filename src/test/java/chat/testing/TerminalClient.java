package chat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The repository's terminal client ({@code chat.Main client}) in a child JVM, driven as a script
 * drives it: lines written to its stdin, its output read line by line. For tests where a user of
 * another package's client talks to one of theirs (the web client's tests, for instance).
 */
public final class TerminalClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final OutputStream stdin;
  private final OutputLines output = new OutputLines("terminal client");

  private TerminalClient(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readOutput, "terminal-client-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The client against {@code 127.0.0.1:port}. */
  public static TerminalClient start(int port) {
    try {
      Process p = new ProcessBuilder(NodeProcess.javaCommand("client", "--host", "127.0.0.1",
          "--port", Integer.toString(port), "--reconnect", "60"))
          .redirectErrorStream(true)
          .start();
      return new TerminalClient(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.add(line);
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Types one line. */
  public TerminalClient type(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the next output line containing {@code text}; returns it. */
  public String expect(String text) {
    return output.expect(text, TIMEOUT);
  }

  /** Registers through the menu's one-line form; returns the new user id. */
  public long register(String name, String password) {
    type("register " + name + " " + password);
    String line = expect(name + " registered, your userid is ");
    return Long.parseLong(line.replaceAll(".*userid is (\\d+).*", "$1"));
  }

  public void login(long id, String password) {
    type("login " + id + " " + password);
    expect("current login user => id:" + id);
  }

  /** Ends its input (it logs out and exits) and waits for it; kills it if it does not exit. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // gone already
    }
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
