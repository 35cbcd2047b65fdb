package chat.service;

import chat.store.LogStore;
import chat.store.User;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * One client connection as the services see it: where it comes from, and the user it is logged in
 * as. Every future completes on the caller's context.
 */
public interface Session {
  /** Unique on this node and across the cluster; used as the owner of presence claims. */
  String id();

  /** The client's IP address (the real one behind nginx with the PROXY protocol). */
  String remoteAddress();

  /** The logged-in user (once admitted), or null. */
  User user();

  /** The digest of the token this login holds, or null. */
  String tokenDigest();

  /** Whether the logged-in session gets only the classic shapes (its LOGIN had no seq, token nor caps). */
  boolean legacy();

  /** Whether the classic client can be at the other end: over a WebSocket it cannot, so no session there is legacy. */
  boolean mayBeLegacy();

  /**
   * Binds the session to a user whose claim was just won, with the pushes it asked for
   * ({@code caps}): catch-up and kick signals reach it from now on, messages are refused (they stay
   * owed, to be caught up right after the login reply) until {@link #admit}. Fails if the
   * connection closed meanwhile.
   */
  Future<Void> bind(long userId, String tokenDigest, boolean legacy, Set<String> caps);

  /**
   * The login reply carrying the owed entries {@code sent} is out: requests now run as this user,
   * messages are written, and the owed ones that did not fit ({@code more}) follow.
   */
  Future<Void> admit(User user, List<LogStore.Entry> sent, boolean more);

  /** The user's own message, sent on this session, is in the log (it is not pushed back here). */
  void appended(LogStore.Entry entry);

  /** Forgets the user: nothing reaches this session any more. */
  Future<Void> unbind();
}
