package chat.config;

import java.util.Collection;

/** "Did you mean …?" for a mistyped key or variable: the closest known name, when it is close enough. */
final class Suggest {
  private Suggest() {
  }

  /** {@code " (did you mean NAME?)"}, or an empty string when nothing known is near {@code unknown}. */
  static String didYouMean(String unknown, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(unknown.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // a quarter of the name may be wrong (CHAT_PORT, limits.idleSecs), or it may be a cut-off prefix
    boolean near = best != null && (bestDistance <= Math.max(2, unknown.length() / 4)
        || best.toLowerCase().startsWith(unknown.toLowerCase()));
    return near ? " (did you mean " + best + "?)" : "";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
