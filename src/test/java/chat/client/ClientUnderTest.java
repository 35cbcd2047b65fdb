package chat.client;

import chat.testing.OutputLines;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The client run in-process as a script user would run it: lines typed into its stdin, its
 * stdout read line by line. Waits for expected output with generous timeouts, never for a
 * fixed time.
 */
final class ClientUnderTest implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Keyboard keyboard = new Keyboard();
  private final OutputLines output = new OutputLines("client");
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private ClientUnderTest(String... args) {
    PrintStream out = new PrintStream(new LineSink(), true, StandardCharsets.UTF_8);
    Thread t = new Thread(() -> exit.complete(ClientCommand.execute(args, keyboard, out, out, false)), "client-under-test");
    t.setDaemon(true);
    t.start();
  }

  static ClientUnderTest start(int port, String... more) {
    List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1",
        "--reconnect", "60"));
    args.addAll(List.of(more));
    return new ClientUnderTest(args.toArray(String[]::new));
  }

  ClientUnderTest type(String line) {
    keyboard.type(line);
    return this;
  }

  /** Waits for the next output line containing {@code text}; returns it. */
  String expect(String text) {
    return output.expect(text, TIMEOUT);
  }

  /** Waits for the next output line, whatever it is; returns it. */
  String nextLine() {
    return expect("");
  }

  /**
   * The lines printed before the next one containing {@code marker}, which is consumed: what a
   * command printed, when the test types a command with a known output (help) after it.
   */
  List<String> linesUntil(String marker) {
    List<String> before = new ArrayList<>();
    while (true) {
      String line = nextLine();
      if (line.contains(marker)) {
        return before;
      }
      before.add(line);
    }
  }

  /** Registers through the menu's one-line form; returns the new user id. */
  long register(String name, String password) {
    type("register " + name + " " + password);
    String line = expect(name + " registered, your userid is ");
    return Long.parseLong(line.replaceAll(".*userid is (\\d+).*", "$1"));
  }

  /** Ends stdin and returns the exit code. */
  int exitCode() {
    keyboard.end();
    return awaitExit();
  }

  /** Waits for the client to exit by itself, stdin left open, and returns the exit code. */
  int awaitExit() {
    try {
      return exit.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return fail("client did not exit: " + e + "; output:\n" + output());
    }
  }

  /** For cleaning up: waits a while for the exit, whatever the outcome. */
  void awaitExitQuietly() {
    try {
      exit.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception ignored) {
      // the test itself asserted what mattered
    }
  }

  String output() {
    return output.all();
  }

  @Override
  public void close() {
    keyboard.end();
  }

  /** stdin: what the test typed, then the end of input. */
  private static final class Keyboard extends InputStream {
    private static final int END = -1;
    private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

    void type(String line) {
      for (byte b : (line + "\n").getBytes(StandardCharsets.UTF_8)) {
        bytes.add(b & 0xff);
      }
    }

    void end() {
      bytes.add(END);
    }

    @Override
    public int read() {
      try {
        int b = bytes.take();
        if (b == END) {
          bytes.add(END);
        }
        return b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return END;
      }
    }

    @Override
    public int read(byte[] buffer, int off, int len) {
      int b = read();
      if (b == END) {
        return -1;
      }
      buffer[off] = (byte) b;
      int n = 1;
      Integer next;
      while (n < len && (next = bytes.peek()) != null && next != END) {
        buffer[off + n++] = (byte) (int) bytes.poll();
      }
      return n;
    }
  }

  /** stdout: split into lines as they are printed. */
  private final class LineSink extends OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b != '\n') {
        current.write(b);
        return;
      }
      String line = current.toString(StandardCharsets.UTF_8);
      current.reset();
      output.add(line);
    }
  }
}
