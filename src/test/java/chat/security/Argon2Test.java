package chat.security;

import chat.config.PasswordHashing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Argon2Test {
  private final Argon2 hasher = new Argon2(new PasswordHashing(
      PasswordHashing.DEFAULT_MEMORY_KIB, PasswordHashing.DEFAULT_ITERATIONS, PasswordHashing.DEFAULT_PARALLELISM));

  @Test
  void argon2idWithOwaspMinimumCostAndRandomSalt() {
    String a = hasher.hash("secret \u00fc\ud83d\ude00");
    String b = hasher.hash("secret \u00fc\ud83d\ude00");
    assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
    assertNotEquals(a, b);
    assertTrue(hasher.verify("secret \u00fc\ud83d\ude00", a));
    assertFalse(hasher.verify("secret", a));
  }

  @Test
  void hashesKeepTheirOwnCost() {
    Argon2 cheap = new Argon2(new PasswordHashing(64, 1, 1));
    String old = cheap.hash("pw");
    assertTrue(hasher.verify("pw", old));
  }

  @Test
  void malformedOrMissingHashesNeverMatch() {
    assertFalse(hasher.verify("pw", null));
    assertFalse(hasher.verify("pw", "plain"));
    assertFalse(hasher.verify("pw", "$argon2id$v=19$m=x,t=2,p=1$abc$def"));
    assertFalse(hasher.verify("pw", "$argon2i$v=19$m=64,t=1,p=1$abc$def"));
  }
}
