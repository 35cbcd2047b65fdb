package chat.protocol;

import io.vertx.core.VertxException;

/** A request the server refuses; the dispatcher turns it into one ERROR reply. */
public final class ChatException extends VertxException {
  private final ErrorCode code;
  private final int retryMillis;

  public ChatException(ErrorCode code, String message) {
    this(code, message, 0);
  }

  /** A refusal for now ({@code retryMillis} > 0): the client should wait that long before it tries again. */
  public ChatException(ErrorCode code, String message, int retryMillis) {
    super(message, true);
    this.code = code;
    this.retryMillis = retryMillis;
  }

  public ErrorCode code() {
    return code;
  }

  /** How long the client should wait before it tries again; 0 when trying again will not help. */
  public int retryMillis() {
    return retryMillis;
  }

  public static ChatException badRequest(String message) {
    return new ChatException(ErrorCode.BAD_REQUEST, message);
  }
}
