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

  /** For picocli's {@code --version}. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
