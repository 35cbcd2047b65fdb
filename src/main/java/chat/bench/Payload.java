package chat.bench;

import io.vertx.core.buffer.Buffer;

/**
 * The bench's chat text, {@code bench:<stream>:<seq>:<nanos>[:padding]}: the receiver learns who
 * sent it, in which order and when, from the one field every implementation forwards unchanged.
 * Parsed straight from the received bytes, without building a JSON tree per message.
 */
final class Payload {
  /** What precedes the payload in a forwarded chat line (no spaces: our server and nlohmann json alike). */
  private static final byte[] MARKER = "\"msg\":\"bench:".getBytes();
  static final String PREFIX = "bench:";

  /** Fields of a parsed payload; reused by its connection to avoid an allocation per message. */
  int stream;
  long seq;
  long sentNanos;
  private int cursor;

  private Payload() {
  }

  static Payload reusable() {
    return new Payload();
  }

  static void append(Buffer out, int stream, long seq, long sentNanos, String padding) {
    out.appendString(PREFIX).appendString(Integer.toString(stream)).appendByte((byte) ':')
        .appendString(Long.toString(seq)).appendByte((byte) ':').appendString(Long.toString(sentNanos));
    if (!padding.isEmpty()) {
      out.appendByte((byte) ':').appendString(padding);
    }
  }

  /** Reads the payload of a line {@code [start, end)}; false when the line carries none. */
  boolean parse(Buffer line, int start, int end) {
    int at = indexOf(line, start, end);
    if (at < 0) {
      return false;
    }
    cursor = at + MARKER.length;
    long s = number(line, end);
    long q = number(line, end);
    long t = number(line, end);
    if (s < 0 || q < 0 || t == Long.MIN_VALUE) {
      return false;
    }
    stream = (int) s;
    seq = q;
    sentNanos = t;
    return true;
  }

  /** Digits (optionally negative: nanoTime may be) up to the next ':' or '"'; advances the cursor past the separator. */
  private long number(Buffer line, int end) {
    int i = cursor;
    boolean negative = i < end && line.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end; i++) {
      byte b = line.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
      digits++;
    }
    if (digits == 0 || i >= end || (line.getByte(i) != ':' && line.getByte(i) != '"')) {
      return Long.MIN_VALUE;
    }
    cursor = i + 1;
    return negative ? -value : value;
  }

  private static int indexOf(Buffer line, int start, int end) {
    byte first = MARKER[0];
    outer:
    for (int i = start; i <= end - MARKER.length; i++) {
      if (line.getByte(i) != first) {
        continue;
      }
      for (int k = 1; k < MARKER.length; k++) {
        if (line.getByte(i + k) != MARKER[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
