package chat.protocol;

import io.vertx.core.VertxException;

/** A request the server refuses; the dispatcher turns it into one ERROR reply. */
public final class ChatException extends VertxException {
  private final ErrorCode code;

  public ChatException(ErrorCode code, String message) {
    super(message, true);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static ChatException badRequest(String message) {
    return new ChatException(ErrorCode.BAD_REQUEST, message);
  }
}
