package chat.protocol;

/** The errno values of ERROR (msgid 99); 100 and 101 close the connection, the others leave it open. */
public enum ErrorCode {
  BAD_JSON(100),
  FRAME_TOO_LARGE(101),
  BAD_REQUEST(102),
  UNKNOWN_MSGID(103),
  NOT_LOGGED_IN(104),
  FORBIDDEN(105),
  NOT_FOUND(106),
  RATE_LIMITED(107),
  TEXT_TOO_LONG(108),
  UNAVAILABLE(503);

  public final int errno;

  ErrorCode(int errno) {
    this.errno = errno;
  }
}
