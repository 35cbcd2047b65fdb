package chat.config;

import java.util.List;

/** Protocol limits every connection is held to. */
public record Limits(int maxFrameBytes, int idleSeconds, int maxTextChars, int tokenHours,
                     int messagesPerSecond, int messageBurst, int connectionsPerMinute, int failedLoginsPerMinute,
                     List<Network> exemptNetworks) {
  public static final int DEFAULT_MAX_FRAME_BYTES = 65536;
  public static final int DEFAULT_IDLE_SECONDS = 300;
  public static final int DEFAULT_MAX_TEXT_CHARS = 4096;
  public static final int DEFAULT_TOKEN_HOURS = 168;
  public static final int DEFAULT_MESSAGES_PER_SECOND = 200;
  public static final int DEFAULT_MESSAGE_BURST = 400;
  public static final int DEFAULT_CONNECTIONS_PER_MINUTE = 600;
  public static final int DEFAULT_FAILED_LOGINS_PER_MINUTE = 30;
  /** The machine itself (load tests, a local nginx without PROXY protocol) is never limited. */
  public static final List<String> DEFAULT_EXEMPT_NETWORKS = List.of("127.0.0.0/8", "::1/128");

  static Limits parse(Reader r) {
    return new Limits(r.intIn("maxFrameBytes", 256, 16 * 1024 * 1024), r.intIn("idleSeconds", 1, 86400),
        r.intIn("maxTextChars", 1, 1_000_000), r.intIn("tokenHours", 1, 24 * 365),
        r.intIn("messagesPerSecond", 1, 10_000_000), r.intIn("messageBurst", 1, 10_000_000),
        r.intIn("connectionsPerMinute", 1, 10_000_000), r.intIn("failedLoginsPerMinute", 1, 10_000_000),
        r.strings("exemptNetworks").stream().map(Network::parse).toList());
  }
}
