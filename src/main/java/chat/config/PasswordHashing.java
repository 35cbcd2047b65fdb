package chat.config;

/** Argon2id cost; the defaults are OWASP's minimum recommendation (m=19 MiB, t=2, p=1). */
public record PasswordHashing(int memoryKiB, int iterations, int parallelism) {
  public static final int DEFAULT_MEMORY_KIB = 19456;
  public static final int DEFAULT_ITERATIONS = 2;
  public static final int DEFAULT_PARALLELISM = 1;

  static PasswordHashing parse(Reader r) {
    return new PasswordHashing(r.intIn("memoryKiB", 8, 4 * 1024 * 1024), r.intIn("iterations", 1, 100),
        r.intIn("parallelism", 1, 64));
  }
}
