package chat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One decoded client request: its msgid, optional {@code seq}, and typed, validated fields. */
public final class Request {
  /** What {@link #msgid()} answers when the frame has no integer msgid. */
  public static final int NO_MSGID = Integer.MIN_VALUE;

  private final ObjectNode body;
  private final int msgid;
  private final JsonNode seq;

  private Request(ObjectNode body, int msgid, JsonNode seq) {
    this.body = body;
    this.msgid = msgid;
    this.seq = seq;
  }

  /**
   * Decodes the envelope. A bad {@code seq} is ignored here and reported by {@link #requireValid}
   * so that the error can still name the request's msgid.
   */
  public static Request of(ObjectNode body) {
    JsonNode id = body.get("msgid");
    int msgid = id != null && id.canConvertToInt() && id.isIntegralNumber() ? id.intValue() : NO_MSGID;
    JsonNode seq = body.get("seq");
    boolean seqValid = seq == null || seq.isNumber() || seq.isTextual();
    return new Request(body, msgid, seqValid ? seq : null);
  }

  /** Fails with 102 when the envelope itself is unusable. */
  public void requireValid() {
    JsonNode id = body.get("msgid");
    if (id == null) {
      throw ChatException.badRequest("missing field msgid");
    }
    if (msgid == NO_MSGID) {
      throw ChatException.badRequest("msgid must be an integer");
    }
    JsonNode s = body.get("seq");
    if (s != null && seq == null) {
      throw ChatException.badRequest("seq must be a number or a string");
    }
  }

  /** The msgid, or {@link #NO_MSGID}. */
  public int msgid() {
    return msgid;
  }

  /** What an ERROR about this request carries as {@code re}: its msgid, or null when it has none. */
  public Integer re() {
    return msgid == NO_MSGID ? null : msgid;
  }

  /** The {@code seq} to echo, or null. */
  public JsonNode seq() {
    return seq;
  }

  public ObjectNode body() {
    return body;
  }

  public boolean has(String field) {
    JsonNode v = body.get(field);
    return v != null && !v.isNull();
  }

  /** A positive integer id. */
  public long id(String field) {
    JsonNode v = present(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ChatException.badRequest(field + " must be an integer");
    }
    if (v.longValue() <= 0) {
      throw ChatException.badRequest(field + " must be positive");
    }
    return v.longValue();
  }

  /** A non-negative integer, such as a cseq. */
  public long position(String field) {
    JsonNode v = present(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw ChatException.badRequest(field + " must be an integer of 0 or more");
    }
    return v.longValue();
  }

  /** An integer from {@code min} to {@code max}, or {@code otherwise} when the field is absent. */
  public int optionalInt(String field, int min, int max, int otherwise) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw ChatException.badRequest(field + " must be an integer from " + min + " to " + max);
    }
    return v.intValue();
  }

  /** A name-like string of 1 to {@code maxChars} characters; longer is a bad value (102). */
  public String text(String field, int maxChars) {
    return text(field, maxChars, ErrorCode.BAD_REQUEST);
  }

  /**
   * A user's name: text that neither begins nor ends with white space. MariaDB's collation ignores
   * trailing spaces, so "bob " would collide with "bob" there but not on the embedded store.
   */
  public String name(String field, int maxChars) {
    String s = text(field, maxChars);
    if (isSpace(s.codePointAt(0)) || isSpace(s.codePointBefore(s.length()))) {
      throw ChatException.badRequest(field + " must not begin or end with white space");
    }
    return s;
  }

  /** Chat text of 1 to {@code maxChars} characters; longer is ERROR 108. */
  public String chatText(String field, int maxChars) {
    return text(field, maxChars, ErrorCode.TEXT_TOO_LONG);
  }

  private String text(String field, int maxChars, ErrorCode tooLong) {
    String s = optionalText(field);
    if (s == null) {
      throw ChatException.badRequest("missing field " + field);
    }
    if (s.isEmpty()) {
      throw ChatException.badRequest(field + " must not be empty");
    }
    if (s.codePointCount(0, s.length()) > maxChars) {
      throw new ChatException(tooLong,
          field + " is longer than " + maxChars + " characters");
    }
    return s;
  }

  /**
   * A string, or null when the field is absent. A lone surrogate (an escape such as \ud800 without
   * its pair) is a bad value: MariaDB would store it as '?' and no UTF-8 client could read it.
   */
  public String optionalText(String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ChatException.badRequest(field + " must be a string");
    }
    String s = v.textValue();
    int lone = loneSurrogate(s);
    if (lone >= 0) {
      throw ChatException.badRequest(field + " is not valid Unicode: a lone surrogate at character "
          + (s.codePointCount(0, lone) + 1));
    }
    return s;
  }

  /** The index of the first UTF-16 unit of {@code s} that is half of a surrogate pair alone, or -1. */
  public static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }

  private JsonNode present(String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw ChatException.badRequest("missing field " + field);
    }
    return v;
  }
}
