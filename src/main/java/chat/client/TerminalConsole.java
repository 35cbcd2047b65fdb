package chat.client;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A person at a terminal: JLine line editing with (in-memory) history that keeps no password,
 * masked passwords, and messages printed above the line being typed instead of through it.
 */
final class TerminalConsole implements Console {
  private static final char MASK = '*';

  private final Terminal terminal;
  private final LineReader reader;

  TerminalConsole() {
    try {
      terminal = TerminalBuilder.builder().system(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // "password OLD NEW" stays out of the history (':' separates JLine's patterns)
    reader = LineReaderBuilder.builder().terminal(terminal).appName("chat")
        .variable(LineReader.HISTORY_IGNORE, "password *:Password *:PASSWORD *").build();
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (EndOfFileException | UserInterruptException e) {
      return null;
    }
  }

  @Override
  public String readSecret(String prompt) {
    reader.variable(LineReader.DISABLE_HISTORY, true);
    try {
      return reader.readLine(prompt, MASK);
    } catch (EndOfFileException | UserInterruptException e) {
      return null;
    } finally {
      reader.variable(LineReader.DISABLE_HISTORY, false);
    }
  }

  @Override
  public void println(String text) {
    reader.printAbove(text);
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public void close() {
    try {
      terminal.close();
    } catch (IOException ignored) {
      // exiting anyway
    }
  }
}
