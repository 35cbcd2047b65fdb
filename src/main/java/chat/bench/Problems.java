package chat.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The errors of a run that counts no chat deliveries (SYNC, catch-up): each one counted, the first
 * few printed. Chat messages that are not this run's (history, stored by earlier runs) are no error.
 */
final class Problems implements BenchConnection.Trouble {
  private static final int SHOWN = 10;

  private final LongAdder errors = new LongAdder();
  private final AtomicInteger shown = new AtomicInteger();

  void error(String what) {
    errors.increment();
    show(what);
  }

  /** Prints it (the first few only) without counting it as an error: the caller counts it as something else. */
  void show(String what) {
    if (shown.incrementAndGet() <= SHOWN) {
      System.err.println("bench: " + what);
    }
  }

  long errors() {
    return errors.sum();
  }

  @Override
  public void unexpected(BenchConnection connection, ObjectNode message) {
    error("unexpected reply: " + message);
  }

  @Override
  public void closed(BenchConnection connection) {
    error("server closed the connection of user " + (connection.user() == null ? "?" : connection.user().id));
  }
}
