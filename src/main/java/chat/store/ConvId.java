package chat.store;

/**
 * A conversation's name: {@code "p:13:14"} for users 13 and 14 (smaller id first), {@code "g:3"}
 * for group 3. Exactly one of {@code group} and the user pair is set (0 for the other).
 */
public record ConvId(String key, long group, long low, long high) {
  private static final int MAX_KEY_CHARS = 48;

  public static ConvId ofUsers(long a, long b) {
    long low = Math.min(a, b);
    long high = Math.max(a, b);
    return new ConvId("p:" + low + ":" + high, 0, low, high);
  }

  public static ConvId ofGroup(long groupId) {
    return new ConvId("g:" + groupId, groupId, 0, 0);
  }

  /** The conversation a key names, or null when the key is malformed (ids positive, canonical form). */
  public static ConvId parse(String key) {
    if (key == null || key.length() > MAX_KEY_CHARS) {
      return null;
    }
    String[] parts = key.split(":", -1);
    try {
      if (parts.length == 2 && parts[0].equals("g")) {
        ConvId conv = ofGroup(Long.parseLong(parts[1]));
        return conv.group() > 0 && conv.key().equals(key) ? conv : null;
      }
      if (parts.length == 3 && parts[0].equals("p")) {
        long low = Long.parseLong(parts[1]);
        long high = Long.parseLong(parts[2]);
        ConvId conv = ofUsers(low, high);
        // one canonical name per pair: smaller id first, no leading zeros, two different users
        return low > 0 && low < high && conv.key().equals(key) ? conv : null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  public boolean isGroup() {
    return group > 0;
  }

  /** In a one-to-one conversation: whether the user is one of the two. */
  public boolean between(long userId) {
    return !isGroup() && (low == userId || high == userId);
  }

  /** In a one-to-one conversation: the other user. */
  public long peerOf(long userId) {
    return low == userId ? high : low;
  }
}
