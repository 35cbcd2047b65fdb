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

  @Mixin
  PairLoad chat;

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
      List<BenchUser> users = fleet.users(chat.users() + LoginStorm.usersNeeded(storm), null);
      PairLoad.Pairs pairs = chat.connect(driver, fleet, common, users.subList(0, chat.users()), meter,
          receiver -> {
            if (checkCseq) {
              receiver.pushes(cseqOrder.check());
            }
          });
      LoginStorm loginStorm = new LoginStorm(driver, common.senders(), users.subList(chat.users(), users.size()),
          storm, common.loginBy(stormBy), common.legacy, meter);
      System.out.printf("one: %s%s%n", chat.describe(common), common.legacy ? ", legacy sessions" : "");
      long t0 = System.nanoTime();
      meter.window(t0 + TimeUnit.SECONDS.toNanos(phases.warmup),
          t0 + TimeUnit.SECONDS.toNanos(phases.warmup + phases.duration));
      loginStorm.start();
      pairs.load().start(t0, chat.traffic(), meter);
      Timeline.run(meter, t0, phases);
      Fleet.closeAll(pairs.connections());
      fleet.save();
      JsonObject settings = chat.settings(common).put("warmupSeconds", phases.warmup)
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
