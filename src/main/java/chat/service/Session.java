package chat.service;

import chat.store.User;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;

/** One client connection as the services see it: at most one logged-in user, and a way to write. */
public interface Session {
  /** Unique on this node and across the cluster; used as the owner of presence claims. */
  String id();

  /** The client's IP address (the real one behind nginx with the PROXY protocol). */
  String remoteAddress();

  /** The logged-in user (once admitted), or null. */
  User user();

  /** The digest of the token this login holds, or null. */
  String tokenDigest();

  void send(JsonNode message);

  /** Completes once the message has been written to the socket. */
  Future<Void> sendFlushed(JsonNode message);

  /**
   * Takes this user's signals while their login completes; deliveries are refused (so the sender
   * stores them, to be drained right after the login reply) until {@link #admit}. Fails if the
   * connection closed meanwhile.
   */
  Future<Void> bind(long userId, String tokenDigest, Mailbox mailbox);

  /** The login succeeded: requests now run as this user, and deliveries are written. */
  Future<Void> admit(User user);

  /** Stops consuming deliveries and forgets the user. */
  Future<Void> unbind();
}
