package chat.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a client under test prints, line by line as it comes (from the thread reading its output),
 * and how far the test has read: each expected line is looked for after the one found before.
 */
public final class OutputLines {
  private final String client;
  private final List<String> lines = new ArrayList<>();
  private int read;

  /** {@code client}: names it in failures. */
  public OutputLines(String client) {
    this.client = client;
  }

  public void add(String line) {
    synchronized (lines) {
      lines.add(line);
      lines.notifyAll();
    }
  }

  /** Waits up to {@code timeout} for the next line containing {@code text}; returns it. */
  public String expect(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (; read < lines.size(); read++) {
          if (lines.get(read).contains(text)) {
            return lines.get(read++);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return fail(client + ": no line containing '" + text + "' within " + timeout + "; output so far:\n"
              + String.join("\n", lines));
        }
        try {
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return fail("interrupted");
        }
      }
    }
  }

  /** Every line so far. */
  public String all() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }
}
