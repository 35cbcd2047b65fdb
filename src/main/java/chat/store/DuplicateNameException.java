package chat.store;

import io.vertx.core.VertxException;

/** A registration whose name another user already holds. */
public final class DuplicateNameException extends VertxException {
  public DuplicateNameException(String name) {
    super("name '" + name + "' is taken", true);
  }
}
