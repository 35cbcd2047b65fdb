package chat.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Commands from a pipe or file, one per line; no prompts, nothing masked. */
final class StreamConsole implements Console {
  private final BufferedReader in;
  private final PrintStream out;

  StreamConsole(InputStream in, PrintStream out) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
  }

  @Override
  public String readLine(String prompt) {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String readSecret(String prompt) {
    return readLine(prompt);
  }

  @Override
  public synchronized void println(String text) {
    out.println(text);
    out.flush();
  }

  @Override
  public boolean interactive() {
    return false;
  }

  @Override
  public void close() {
    out.flush();
  }
}
