package chat.bench;

import picocli.CommandLine.Option;

/** The timeline options of a traffic run. */
final class Phases {
  @Option(names = "--warmup", defaultValue = "5", description = "seconds of warm-up, excluded from figures (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--duration", defaultValue = "20", description = "seconds measured (default ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--drain", defaultValue = "10", description = "seconds to wait for deliveries after sending stops; what is missing then is lost (default ${DEFAULT-VALUE})")
  int drain;
}
