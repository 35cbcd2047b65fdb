package chat.delivery;

import io.vertx.core.Future;

/**
 * A logged-in session as the delivery path sees it: the one entrance for everything addressed to
 * it (messages from this node or relayed from others, drain and kick signals), served on the
 * session's own event loop whatever loop calls it.
 */
public interface Recipient {
  /**
   * Writes the push to the client (a log entry in its conversation's order). Completes on the
   * caller's context: true once written, false when the session does not take it (login not
   * finished, gone, or its reader too slow): it stays owed in the log.
   */
  Future<Boolean> deliver(Outbound message);

  /** Messages are owed to this user: catch up from the log (after the login reply, if it is not out yet). */
  void drain();

  /** The user now lives elsewhere: close the connection. */
  void kick();
}
