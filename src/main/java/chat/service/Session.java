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

  /** The logged-in user, or null. */
  User user();

  /** The digest of the token this login holds, or null. */
  String tokenDigest();

  void send(JsonNode message);

  /** Completes once the message has been written to the socket. */
  Future<Void> sendFlushed(JsonNode message);

  /** Binds the user and starts consuming their deliveries; fails if the connection closed meanwhile. */
  Future<Void> bind(User user, String tokenDigest, Mailbox mailbox);

  /** Stops consuming deliveries and forgets the user. */
  Future<Void> unbind();
}
