package chat.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every scenario shares: where the server is, where users and results go, how hard to connect. */
final class Common {
  @Spec(Spec.Target.MIXEE)
  CommandSpec scenario;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "server host (senders) (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "6000", description = "server port (senders) (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--recv-host", description = "cross-node: receivers' host (default: --host)")
  String recvHost;

  @Option(names = "--recv-port", description = "cross-node: receivers' port (default: --port)")
  Integer recvPort;

  @Option(names = "--sources", split = ",", description = "local source addresses, e.g. 127.0.0.1-8 or 127.0.0.2,127.0.0.3, to pass the 64k ephemeral ports of one address")
  List<String> sources = new ArrayList<>();

  @Option(names = "--loops", description = "bench event loops (default: number of CPUs)")
  int loops = Runtime.getRuntime().availableProcessors();

  @Option(names = "--users", defaultValue = "bench-users.jsonl", description = "users file, reused by later runs (default ${DEFAULT-VALUE})")
  Path users;

  @Option(names = "--out", description = "JSON result file (default: bench-<scenario>.json)")
  Path out;

  @Option(names = "--connect-concurrency", defaultValue = "256", description = "connections being set up at once (default ${DEFAULT-VALUE})")
  int connectConcurrency;

  @Option(names = "--register-concurrency", defaultValue = "16", description = "registrations at once (default ${DEFAULT-VALUE})")
  int registerConcurrency;

  @Option(names = "--legacy", description = "log in exactly as the classic client does (by password, no seq): our server then "
      + "serves legacy sessions (no token, no extension fields, offline messages beyond 1024 bytes pushed after the login)")
  boolean legacy;

  Endpoint senders() {
    return new Endpoint(host, port);
  }

  Endpoint receivers() {
    return new Endpoint(recvHost != null ? recvHost : host, recvPort != null ? recvPort : port);
  }

  boolean crossNode() {
    return !senders().equals(receivers());
  }

  /** How the measured connections log in: as asked, or by password for legacy sessions. */
  Accounts.LoginBy loginBy(Accounts.LoginBy requested) {
    if (!legacy) {
      return requested;
    }
    if (requested == Accounts.LoginBy.TOKEN) {
      throw new ParameterException(scenario.commandLine(),
          "--legacy logs in by password (a LOGIN with a token is never a legacy session): use --by PASSWORD");
    }
    return Accounts.LoginBy.PASSWORD;
  }

  Path out(String scenario) {
    return out != null ? out : Path.of("bench-" + scenario + ".json");
  }

  Driver driver() {
    return Driver.start(loops, expand(sources));
  }

  /** {@code 127.0.0.1-4} stands for 127.0.0.1, 127.0.0.2, 127.0.0.3, 127.0.0.4. */
  static List<String> expand(List<String> sources) {
    List<String> out = new ArrayList<>();
    for (String s : sources) {
      int dash = s.lastIndexOf('-');
      int dot = s.lastIndexOf('.');
      if (dash > dot && dot > 0) {
        int from = Integer.parseInt(s.substring(dot + 1, dash));
        int to = Integer.parseInt(s.substring(dash + 1));
        for (int i = from; i <= to; i++) {
          out.add(s.substring(0, dot + 1) + i);
        }
      } else if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
