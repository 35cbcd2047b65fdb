package chat.store;

import io.vertx.core.VertxException;

/** A message stored for a user id that does not exist. */
public final class UnknownUserException extends VertxException {
  public UnknownUserException(long userId) {
    super("no user " + userId, true);
  }
}
