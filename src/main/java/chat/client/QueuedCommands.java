package chat.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The commands given while the connection is down: kept in order and sent once it is back, or
 * dropped if the session ends first. Threads: the person's thread queues and waits; a reconnecting
 * thread sends, one at a time (a later reconnection leaves it to the one at it). Every field is
 * guarded by the session's lock, whose monitor also carries the waits; a command is sent without it.
 */
final class QueuedCommands {
  /** A command given while the connection was down: {@code send} runs once the session is back, {@code drop} if it ends first. */
  record Queued(Runnable send, Consumer<String> drop) {
  }

  private final Object lock;
  private final BooleanSupplier reconnecting;
  private final Deque<Queued> queued = new ArrayDeque<>();
  private boolean sendingQueued;
  /** A thread is sending what was queued: another reconnection leaves it to that one, so order holds. */
  private boolean draining;

  /** {@code lock}: the session's; {@code reconnecting}: whether a reconnection is under way, asked with the lock held. */
  QueuedCommands(Object lock, BooleanSupplier reconnecting) {
    this.lock = lock;
    this.reconnecting = reconnecting;
  }

  /**
   * Keeps {@code command} for later and returns true while the connection is down (or what was
   * kept earlier is still going out, so that order holds); false when it can be sent now.
   */
  boolean queueWhileReconnecting(Queued command) {
    synchronized (lock) {
      if (!reconnecting.getAsBoolean() && !sendingQueued) {
        return false;
      }
      queued.add(command);
      return true;
    }
  }

  /** Waits until the connection is back and what was queued has gone out, or the session has ended. */
  void awaitQueued() {
    synchronized (lock) {
      try {
        while (reconnecting.getAsBoolean() || sendingQueued) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The connection is back: what was queued is to go out before anything new. Call with the lock held. */
  void reconnected() {
    sendingQueued = !queued.isEmpty();
  }

  /**
   * Sends what was queued, in order, including what is queued while this runs; unless another
   * thread is at it already (a reconnection while a queued command waited for its answer).
   */
  void sendQueued() {
    synchronized (lock) {
      if (draining) {
        return;
      }
      draining = true;
    }
    boolean drained = false;
    try {
      while (!drained) {
        Queued next;
        synchronized (lock) {
          next = queued.poll();
          if (next == null) {
            // in the same breath as the last look at the queue: a later reconnection drains what comes next
            sendingQueued = false;
            draining = false;
            drained = true;
            lock.notifyAll();
          }
        }
        if (next != null) {
          next.send().run();
        }
      }
    } finally {
      if (!drained) {
        synchronized (lock) {
          draining = false;
        }
      }
    }
  }

  /** Drops everything queued, telling each command {@code why}: the session has ended. */
  void dropAll(String why) {
    List<Queued> dropped;
    synchronized (lock) {
      dropped = takeQueued();
    }
    dropped.forEach(q -> q.drop().accept(why));
  }

  /** Everything queued, now out of the queue. Call with the lock held. */
  List<Queued> takeQueued() {
    List<Queued> all = new ArrayList<>(queued);
    queued.clear();
    sendingQueued = false;
    lock.notifyAll();
    return all;
  }
}
