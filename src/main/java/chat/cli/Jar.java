package chat.cli;

import picocli.CommandLine;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/** The running jar, for help texts and hints: its version and the command that starts it. */
public final class Jar {
  private Jar() {
  }

  /** The version from the jar's manifest; classes run from a build directory have none. */
  public static String version() {
    String version = Jar.class.getPackage().getImplementationVersion();
    return "ClusterChat " + (version != null ? version : "(development build, not from the jar)");
  }

  /** {@code java -jar <the running jar>}, relative to the working directory when it lies below it. */
  public static String command() {
    CodeSource source = Jar.class.getProtectionDomain().getCodeSource();
    try {
      Path jar = source == null ? Path.of("") : Path.of(source.getLocation().toURI());
      Path here = Path.of("").toAbsolutePath();
      if (jar.toString().endsWith(".jar")) {
        return "java -jar " + (jar.startsWith(here) ? here.relativize(jar) : jar);
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // an unusual class loader: fall back to where the build puts the jar
    }
    return "java -jar target/chat-fat.jar";
  }

  /**
   * An "Examples:" section of a help text: each {@code (comment, command)} pair as a shell comment
   * line, then the command, so that every line pastes into a shell and runs as printed. A command
   * may span lines (a {@code \} or a {@code |} at the end of one).
   */
  public static String examples(String... commentsAndCommands) {
    StringBuilder out = new StringBuilder("Examples:\n");
    for (int i = 0; i < commentsAndCommands.length; i += 2) {
      out.append("  # ").append(commentsAndCommands[i]).append('\n')
          .append("  ").append(commentsAndCommands[i + 1].replace("\n", "\n      ")).append('\n');
    }
    return out.toString();
  }

  /**
   * {@code commandLine} printing {@code footer} as it is: picocli wraps a footer at 80 columns, and a
   * command wrapped in the middle (of an address, say) no longer runs when pasted.
   */
  public static CommandLine withVerbatimFooter(CommandLine commandLine, String footer) {
    commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> footer);
    return commandLine;
  }

  /** For picocli's {@code --version}. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
