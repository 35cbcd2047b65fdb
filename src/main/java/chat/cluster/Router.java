package chat.cluster;

import io.vertx.core.Future;

import java.util.List;

/**
 * Delivers a message to users wherever they are, or stores it for their next login. The future
 * fails only when the message could be neither delivered nor stored.
 */
public interface Router {
  enum Status { DELIVERED, STORED }

  Future<Status> deliver(long userId, Outbound message);

  /** The same message to several users; the result counts how many got it live. */
  Future<FanOut> deliverAll(List<Long> userIds, Outbound message);

  record FanOut(int delivered, int stored) {
  }
}
