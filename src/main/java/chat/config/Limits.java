package chat.config;

import java.util.List;

/** Protocol limits every connection is held to. */
public record Limits(int maxFrameBytes, int idleSeconds, int frameSeconds, int maxTextChars, int tokenHours,
                     int messagesPerSecond, int messageBurst, int connectionsPerMinute, int failedLoginsPerMinute,
                     List<Network> exemptNetworks, int slowReaderSeconds, int legacyPushGapMillis,
                     int editSeconds, int recallSeconds) {
  public static final int DEFAULT_MAX_FRAME_BYTES = 65536;
  public static final int DEFAULT_IDLE_SECONDS = 300;
  /** A request must arrive whole within this long of its first byte (a trickle of bytes is no activity). */
  public static final int DEFAULT_FRAME_SECONDS = 30;
  public static final int DEFAULT_MAX_TEXT_CHARS = 4096;
  public static final int DEFAULT_TOKEN_HOURS = 168;
  public static final int DEFAULT_MESSAGES_PER_SECOND = 200;
  public static final int DEFAULT_MESSAGE_BURST = 400;
  public static final int DEFAULT_CONNECTIONS_PER_MINUTE = 600;
  public static final int DEFAULT_FAILED_LOGINS_PER_MINUTE = 30;
  /** The machine itself (load tests, a local nginx without PROXY protocol) is never limited. */
  public static final List<String> DEFAULT_EXEMPT_NETWORKS = List.of("127.0.0.0/8", "::1/128");
  /** A client that takes none of the writes waiting for it for this long is disconnected. */
  public static final int DEFAULT_SLOW_READER_SECONDS = 30;
  /** Writes to a legacy session are this far apart, so no two reach its 1024-byte read together. */
  public static final int DEFAULT_LEGACY_PUSH_GAP_MILLIS = 20;
  /** A sender may change the text of their message this long after it was sent (two days). */
  public static final int DEFAULT_EDIT_SECONDS = 172_800;
  /** A sender may take their message back for everyone this long after it was sent (one day). */
  public static final int DEFAULT_RECALL_SECONDS = 86_400;

  /**
   * A stored message is a frame plus its envelope: it must fit a MEDIUMTEXT and one statement
   * within MariaDB's default max_allowed_packet, both 16 MiB.
   */
  public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

  static Limits parse(Reader r) {
    return new Limits(r.intIn("maxFrameBytes", 256, MAX_FRAME_BYTES), r.intIn("idleSeconds", 1, 86400),
        r.intIn("frameSeconds", 1, 3600), r.intIn("maxTextChars", 1, 1_000_000), r.intIn("tokenHours", 1, 24 * 365),
        r.intIn("messagesPerSecond", 1, 10_000_000), r.intIn("messageBurst", 1, 10_000_000),
        r.intIn("connectionsPerMinute", 1, 10_000_000), r.intIn("failedLoginsPerMinute", 1, 10_000_000),
        r.strings("exemptNetworks").stream().map(Network::parse).toList(),
        r.intIn("slowReaderSeconds", 1, 3600), r.intIn("legacyPushGapMillis", 0, 10_000),
        r.intIn("editSeconds", 0, Integer.MAX_VALUE), r.intIn("recallSeconds", 0, Integer.MAX_VALUE));
  }
}
