package chat.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waiting for the server's answer to a request, within the timeout, and saying in words why it did
 * not come. Holds nothing that changes: any thread waits here, blocking only itself.
 */
final class Answers {
  private final Duration timeout;
  private final Supplier<String> address;

  /** {@code address}: where the session is connected, for what is said. */
  Answers(Duration timeout, Supplier<String> address) {
    this.timeout = timeout;
    this.address = address;
  }

  /** The answer, or fails saying why: none in time (the request is given up), the connection lost, interrupted. */
  ObjectNode await(CompletableFuture<ObjectNode> reply) throws ClientException {
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new ClientException("no answer from " + address.get() + " within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new ClientException("connection to " + address.get() + " lost before the server answered"
          + " (the request may or may not have been carried out)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted");
    }
  }
}
