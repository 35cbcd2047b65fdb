package chat.delivery;

import io.vertx.core.Future;

/**
 * A logged-in session as the delivery path sees it: the one entrance for everything addressed to
 * it (messages from this node or relayed from others, drain and kick signals), served on the
 * session's own event loop whatever loop calls it.
 */
public interface Recipient {
  /**
   * Writes the message to the client. Completes on the caller's context: true once written, false
   * when the session does not take it (login not finished, gone, or its reader too slow), so the
   * sender stores it instead.
   */
  Future<Boolean> deliver(Outbound message);

  /** Stored messages wait for this user: push them (after the login reply, if it is not out yet). */
  void drain();

  /** The user now lives elsewhere: close the connection. */
  void kick();
}
