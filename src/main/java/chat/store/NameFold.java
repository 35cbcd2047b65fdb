package chat.store;

import com.ibm.icu.text.Normalizer2;

/**
 * The form in which user names are compared: Unicode NFKC_Casefold, as ICU implements the Unicode
 * Standard's definition. "Alice", "alice" and "ａｌｉｃｅ" are one name, so are "straße" and
 * "STRASSE", and characters that show nothing (a zero-width space, a joiner) do not count. A name
 * is kept and shown as typed; only its folded form is unique, and it is what LOGIN by name and
 * FIND_USER look names up by.
 */
public final class NameFold {
  /**
   * The longest folded form a name may have, in characters: what the stores' unique key holds. A
   * name of 64 characters folds to at most 18 times as many (U+FDFA is the extreme), so only names
   * made of such compatibility ligatures can reach it.
   */
  public static final int MAX_CHARS = 256;
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

  private NameFold() {
  }

  /** The folded form of {@code name}. */
  public static String of(String name) {
    return NFKC_CASEFOLD.normalize(name);
  }

  /** Whether a folded form fits the stores' key. */
  public static boolean fits(String folded) {
    return folded.codePointCount(0, folded.length()) <= MAX_CHARS;
  }
}
