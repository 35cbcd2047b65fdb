package chat.client;

/** Where the client reads its input and prints; printing is safe from any thread. */
interface Console extends AutoCloseable {
  /** The next line, or null at the end of input (Ctrl-D, Ctrl-C, end of the script). */
  String readLine(String prompt);

  /** Like {@link #readLine} but not echoed and kept out of the history. */
  String readSecret(String prompt);

  /** Prints whole lines without garbling a line being typed. */
  void println(String text);

  /** A person at a terminal (prompts, menu, help), rather than a script. */
  boolean interactive();

  @Override
  void close();
}
