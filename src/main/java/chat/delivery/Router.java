package chat.delivery;

import chat.session.Outbound;
import io.vertx.core.Future;

import java.util.List;

/**
 * Pushes what was committed to the sessions of its recipients, wherever they are: this node's first,
 * then other nodes'. Nothing is stored here: a message is in its log before it is pushed, and one a
 * session does not take stays owed there (the session catches up by itself once it can, or the
 * user gets it at their next login). Every future completes on the caller's context.
 */
public interface Router {
  /**
   * Pushes a log entry to its recipients, and to its sender's sessions (the one that sent it only
   * takes its place); completes with the recipients none of whose sessions took it. Never fails.
   */
  Future<List<Long>> push(List<Long> recipients, Outbound message);

  /** A push that is not kept (a receipt, typing, presence, a social event) and the users it is for. */
  record Signal(List<Long> userIds, Outbound message) {
  }

  /** Pushes a signal to whichever of these users' sessions asked for it. */
  default void signal(List<Long> userIds, Outbound message) {
    signal(List.of(new Signal(userIds, message)));
  }

  /** Pushes signals at once: to other nodes, all of a node's in one publish. */
  void signal(List<Signal> signals);

  /**
   * Tells every session of these users, wherever it is, something it must act on before this
   * completes (block lists changed, cursors wanted in the store). A user not found where the node last saw them is looked for
   * once more, in Redis itself. Never fails.
   */
  Future<Void> notify(List<Long> userIds, Outbound notice);
}
