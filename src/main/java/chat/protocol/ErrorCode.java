package chat.protocol;

/** The errno values of ERROR (msgid 99), and whether the connection survives them. */
public enum ErrorCode {
  BAD_JSON(100, true),
  FRAME_TOO_LARGE(101, true),
  BAD_REQUEST(102, false),
  UNKNOWN_MSGID(103, false),
  NOT_LOGGED_IN(104, false),
  FORBIDDEN(105, false),
  NOT_FOUND(106, false),
  RATE_LIMITED(107, false),
  TEXT_TOO_LONG(108, false),
  UNAVAILABLE(503, false);

  public final int errno;
  public final boolean closesConnection;

  ErrorCode(int errno, boolean closesConnection) {
    this.errno = errno;
    this.closesConnection = closesConnection;
  }
}
