package chat.config;

/**
 * How much expensive work a node takes on at once: logins (LOGIN, REG, CHANGE_PASSWORD: a password
 * hash or a login card each) and queries (SYNC, CONVERSATIONS, CARD, FIND_USER), each counted node
 * wide and per client address (exempt networks aside). A request beyond is answered at once, 503 or
 * 107 with a retry hint, instead of queueing behind the others; chat is never one of them.
 */
public record AdmissionConfig(int loginsInFlight, int queriesInFlight, int perAddressInFlight) {
  public static final int DEFAULT_LOGINS_IN_FLIGHT = 64;
  public static final int DEFAULT_QUERIES_IN_FLIGHT = 256;
  public static final int DEFAULT_PER_ADDRESS_IN_FLIGHT = 32;

  static AdmissionConfig parse(Reader r) {
    return new AdmissionConfig(r.intIn("loginsInFlight", 1, 100_000), r.intIn("queriesInFlight", 1, 100_000),
        r.intIn("perAddressInFlight", 1, 100_000));
  }
}
