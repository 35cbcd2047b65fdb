package chat.client;

import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The chat messages sent and not yet acknowledged: each carries a client message id ({@code cmid})
 * and is resent with it on every new connection until the server answers, so that the server
 * appends it once, whatever happened. Threads: a message is sent from the thread that gives it,
 * resent by the reconnecting thread, both holding the session's lock (so that no new connection's
 * resends come between); its answer arrives on a connection's reader thread, which removes it
 * without the lock (the queue is concurrent). A message's {@code sends} and {@code sentAt} are
 * guarded by the session's lock.
 */
final class UnackedChats {
  /** A chat message's CHAT_ACK, and whether it came only after the message was resent on a new connection. */
  record Sent(ObjectNode ack, boolean resent) {
  }

  /** The session's connection once a reconnection under way is over; called with the session's lock held. */
  interface LinkOnceReconnected {
    ServerLink get() throws ClientException;
  }

  /** A chat message sent and not yet acknowledged: resent, with its cmid, on each new connection. */
  private static final class Unacked {
    final ObjectNode request;
    final CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
    int sends;
    long sentAt;

    Unacked(ObjectNode request) {
      this.request = request;
    }
  }

  private final Object lock;
  private final Duration timeout;
  private final BooleanSupplier reconnecting;
  private final Supplier<String> address;
  /** In the order first sent; an ack removes its message from the reader thread, without the lock. */
  private final Queue<Unacked> unacked = new ConcurrentLinkedQueue<>();
  /** cmids: random per client run, then a counter, so no two runs (nor resends of two messages) share one. */
  private final String cmidPrefix = UUID.randomUUID().toString();
  private final AtomicLong cmids = new AtomicLong();

  /**
   * {@code lock}: the session's; {@code reconnecting}: whether a reconnection is under way, asked
   * with the lock held; {@code address}: where the session is connected, for what is said.
   */
  UnackedChats(Object lock, Duration timeout, BooleanSupplier reconnecting, Supplier<String> address) {
    this.lock = lock;
    this.timeout = timeout;
    this.reconnecting = reconnecting;
    this.address = address;
  }

  /**
   * ONE_CHAT or GROUP_CHAT with a fresh cmid: sent now on {@code link} (after a reconnection under
   * way), and again with the same cmid on each new connection until the server answers. Returns the
   * CHAT_ACK, or fails in words (an ERROR, no answer in time, the session ended before the answer).
   */
  Sent send(ObjectNode request, LinkOnceReconnected link) throws ClientException {
    Unacked message = new Unacked(request.deepCopy().put("cmid", cmidPrefix + "-" + cmids.incrementAndGet()));
    synchronized (lock) {
      ServerLink l = link.get();
      unacked.add(message);
      transmit(message, l);
    }
    ObjectNode reply = awaitAnswer(message);
    if (reply.path("msgid").asInt() == MsgId.ERROR) {
      throw new ClientException(Format.error(reply));
    }
    synchronized (lock) {
      return new Sent(reply, message.sends > 1);
    }
  }

  /** Every message not yet acknowledged goes out on {@code fresh}, with its cmid. Call with the lock held. */
  void resend(ServerLink fresh) {
    unacked.forEach(message -> transmit(message, fresh));
  }

  /**
   * Writes {@code message} on {@code l}; its answer settles it. A connection that ends first leaves
   * it for the next one. Call with the lock held, so that no new connection's resends come between.
   */
  private void transmit(Unacked message, ServerLink l) {
    message.sends++;
    message.sentAt = System.nanoTime();
    l.request(message.request).thenAccept(reply -> {
      unacked.remove(message);
      message.answer.complete(reply);
    });
  }

  /**
   * The answer to a chat message: within the timeout of its last sending while connected; while a
   * reconnection is under way it waits (the reconnection resends it, or gives up and fails it).
   */
  private ObjectNode awaitAnswer(Unacked message) throws ClientException {
    while (true) {
      long waitNanos;
      synchronized (lock) {
        if (reconnecting.getAsBoolean()) {
          waitNanos = TimeUnit.SECONDS.toNanos(1);
        } else {
          waitNanos = message.sentAt + timeout.toNanos() - System.nanoTime();
          if (waitNanos <= 0 && !message.answer.isDone()) {
            unacked.remove(message);
            throw new ClientException("no answer from " + address.get() + " within " + timeout.toSeconds()
                + " s (the message may or may not have been sent)");
          }
        }
      }
      try {
        return message.answer.get(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // look again: reconnected, still reconnecting, or out of time
      } catch (ExecutionException e) {
        throw new ClientException(e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted");
      }
    }
  }

  /** Fails every chat message still waiting for its answer: the session has ended. */
  void abandon(String reason) {
    Unacked message;
    while ((message = unacked.poll()) != null) {
      message.answer.completeExceptionally(new ClientException("not confirmed (" + reason + "): "
          + message.request.path("msg").asText() + " - it may or may not have been sent"));
    }
  }
}
