package chat.service;

import chat.store.StoredMessage;
import chat.store.User;
import io.vertx.core.Future;

import java.util.List;

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

  /**
   * Binds the session to a user whose claim was just won: drain and kick signals reach it from now
   * on, messages are refused (so they are stored, to be pushed after the login reply) until
   * {@link #admit}. Fails if the connection closed meanwhile.
   */
  Future<Void> bind(long userId, String tokenDigest, boolean legacy);

  /**
   * The login reply carrying the stored messages {@code sent} is out: requests now run as this
   * user, messages are written, and the stored ones that did not fit ({@code more}) follow.
   */
  Future<Void> admit(User user, List<StoredMessage> sent, boolean more);

  /** Forgets the user: nothing reaches this session any more. */
  Future<Void> unbind();
}
