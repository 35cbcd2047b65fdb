package chat.delivery;

import io.vertx.core.Future;

import java.util.List;

/**
 * Delivers a message to users wherever they are, or stores it for their next login. Every future
 * completes on the caller's context. A result fails only when the message could be neither
 * delivered nor stored, with the store's own failure (the service layer words it for the client).
 */
public interface Router {
  enum Status { DELIVERED, STORED }

  /**
   * A one-to-one delivery under way. {@code accepted} completes (never fails) once the message is
   * far enough that a later message of the same sender cannot overtake it: the sender may go on
   * while the {@code outcome} is still on its way back from another node.
   */
  record Delivery(Future<Void> accepted, Future<Status> outcome) {
  }

  Delivery deliver(long userId, Outbound message);

  /** The same message to several users; the result counts how many got it live. */
  Future<FanOut> deliverAll(List<Long> userIds, Outbound message);

  record FanOut(int delivered, int stored) {
  }
}
