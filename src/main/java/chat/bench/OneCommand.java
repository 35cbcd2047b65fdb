package chat.bench;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code one}: P sender/receiver pairs exchanging ONE_CHAT_MSG; the two ends of a pair share an
 * event loop. With {@code --recv-port} (and {@code --recv-host}) receivers log in on another node:
 * the cross-node variant. With {@code --storm} a login storm runs alongside.
 */
@Command(name = "one", mixinStandardHelpOptions = true, sortOptions = false,
    description = "One-to-one chat between sender/receiver pairs, closed or open loop.")
final class OneCommand implements Callable<Integer> {
  @Mixin
  Common common;

  @Mixin
  Phases phases;

  @Option(names = "--pairs", defaultValue = "50", description = "sender/receiver pairs (default ${DEFAULT-VALUE})")
  int pairs;

  @Option(names = "--window", defaultValue = "8", description = "closed loop: messages in flight per pair (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--rate", defaultValue = "0", description = "open loop: total messages per second; 0 = closed loop (default)")
  double rate;

  @Option(names = "--size", defaultValue = "0", description = "padding bytes added to each message text (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--storm", defaultValue = "0", description = "login storm alongside: connections logging in, out and in again (default ${DEFAULT-VALUE})")
  int storm;

  @Option(names = "--storm-by", defaultValue = "PASSWORD", description = "how the storm logs in: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Accounts.LoginBy stormBy;

  @Option(names = "--check-cseq", description = "check that each receiver gets its conversation's messages with cseq "
      + "strictly increasing and gap-free (PROTOCOL.md v2); reported as figures.cseq")
  boolean checkCseq;

  @Override
  public Integer call() {
    Meter meter = new Meter();
    CseqOrder cseqOrder = new CseqOrder();
    try (Driver driver = common.driver()) {
      Fleet fleet = new Fleet(driver, common, meter);
      List<BenchUser> users = fleet.users(2 * pairs + LoginStorm.usersNeeded(storm), null);
      List<BenchConnection> connections = fleet.loginAll(users.subList(0, 2 * pairs), i -> i / 2,
          i -> i % 2 == 0 ? common.senders() : common.receivers(), common.loginBy(Accounts.LoginBy.AUTO),
          common.legacy);
      Traffic traffic = Traffic.of(window, rate, pairs, size);
      Load load = new Load(driver);
      for (int p = 0; p < pairs; p++) {
        BenchConnection receiver = connections.get(2 * p + 1);
        Sender sender = Sender.oneChat(connections.get(2 * p), meter, p, receiver.user().id, traffic);
        new Receiver(receiver, sender, meter);
        if (checkCseq) {
          receiver.pushes(cseqOrder.check());
        }
        load.add(p, sender);
      }
      LoginStorm loginStorm = new LoginStorm(driver, common.senders(), users.subList(2 * pairs, users.size()),
          storm, common.loginBy(stormBy), common.legacy, meter);
      System.out.printf("one: %d pairs, %s, %s -> %s%s%n", pairs, traffic.describe()
          + (traffic.openLoop() ? " at " + rate + " msg/s" : ""), common.senders(), common.receivers(),
          common.legacy ? ", legacy sessions" : "");
      long t0 = System.nanoTime();
      meter.window(t0 + TimeUnit.SECONDS.toNanos(phases.warmup),
          t0 + TimeUnit.SECONDS.toNanos(phases.warmup + phases.duration));
      loginStorm.start();
      load.start(t0, traffic, meter);
      Timeline.run(meter, t0, phases);
      Fleet.closeAll(connections);
      fleet.save();
      JsonObject settings = new JsonObject().put("pairs", pairs).put("mode", traffic.openLoop() ? "open" : "closed")
          .put("window", window).put("rate", rate).put("padBytes", size)
          .put("senders", common.senders().toString()).put("receivers", common.receivers().toString())
          .put("crossNode", common.crossNode()).put("warmupSeconds", phases.warmup)
          .put("durationSeconds", phases.duration).put("storm", storm).put("stormBy", common.loginBy(stormBy).name())
          .put("legacy", common.legacy).put("checkCseq", checkCseq);
      JsonObject figures = meter.figures(phases.duration);
      if (checkCseq) {
        figures.put("cseq", cseqOrder.figures());
      }
      JsonObject result = new JsonObject().put("scenario", "one").put("settings", settings).put("figures", figures);
      if (storm > 0) {
        result.put("loginStorm", loginStorm.figures(phases.duration));
      }
      Report.emit(result, common.out("one"));
      return 0;
    }
  }
}
