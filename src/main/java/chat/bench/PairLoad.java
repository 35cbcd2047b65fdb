package chat.bench;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.function.Consumer;

/**
 * The chat load of {@code one}, also run under {@code presence}: P sender/receiver pairs exchanging
 * ONE_CHAT, closed or open loop; the two ends of a pair share an event loop, senders on the
 * senders' endpoint, receivers on the receivers'.
 */
final class PairLoad {
  @Option(names = "--pairs", defaultValue = "50", description = "sender/receiver pairs (default ${DEFAULT-VALUE})")
  int pairs;

  @Option(names = "--window", defaultValue = "8", description = "closed loop: messages in flight per pair (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--rate", defaultValue = "0", description = "open loop: total messages per second; 0 = closed loop (default)")
  double rate;

  @Option(names = "--size", defaultValue = "0", description = "padding bytes added to each message text (default ${DEFAULT-VALUE})")
  int size;

  private Traffic traffic;

  int users() {
    return 2 * pairs;
  }

  Traffic traffic() {
    if (traffic == null) {
      traffic = Traffic.of(window, rate, pairs, size);
    }
    return traffic;
  }

  /** The pairs' connections in user order, and their load, to {@link Load#start}. */
  record Pairs(List<BenchConnection> connections, Load load) {
  }

  /**
   * Logs the {@link #users} given in (sender, receiver, sender, …) and wires each pair's sender to
   * its receiver; {@code eachReceiver} sees every receiving connection (e.g. to check its cseqs).
   */
  Pairs connect(Driver driver, Fleet fleet, Common common, List<BenchUser> users, Meter meter,
                Consumer<BenchConnection> eachReceiver) {
    List<BenchConnection> connections = fleet.loginAll(users, i -> i / 2,
        i -> i % 2 == 0 ? common.senders() : common.receivers(), common.loginBy(Accounts.LoginBy.AUTO), common.legacy);
    Load load = new Load(driver);
    for (int p = 0; p < pairs; p++) {
      BenchConnection receiver = connections.get(2 * p + 1);
      Sender sender = Sender.oneChat(connections.get(2 * p), meter, p, receiver.user().id, traffic());
      new Receiver(receiver, sender, meter);
      eachReceiver.accept(receiver);
      load.add(p, sender);
    }
    return new Pairs(connections, load);
  }

  /** "50 pairs, open loop at 5000.0 msg/s, 127.0.0.1:6000 -> 127.0.0.1:6000" */
  String describe(Common common) {
    return String.format("%d pairs, %s, %s -> %s", pairs, traffic().describe()
        + (traffic().openLoop() ? " at " + rate + " msg/s" : ""), common.senders(), common.receivers());
  }

  /** The load's settings, as {@code one} reports them. */
  JsonObject settings(Common common) {
    return new JsonObject().put("pairs", pairs).put("mode", traffic().openLoop() ? "open" : "closed")
        .put("window", window).put("rate", rate).put("padBytes", size)
        .put("senders", common.senders().toString()).put("receivers", common.receivers().toString())
        .put("crossNode", common.crossNode());
  }
}
