package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * {@code group}: G groups of M members; in each, the creator sends GROUP_CHAT_MSG and the other
 * M-1 members receive it (fan-out). A group's members share an event loop. Groups are created
 * afresh each run (cheap); their ids come from the CREATE_GROUP_ACK / ADD_GROUP_ACK extension,
 * asked for with {@code seq} (so this scenario cannot run against the classic server, which has no
 * such acks). With {@code --legacy} ordinary sessions form the groups, then close, and every member
 * logs in again as a legacy session for the measurement.
 */
@Command(name = "group", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Group chat fan-out: one sender per group, every other member receives.")
final class GroupCommand implements Callable<Integer> {
  @Mixin
  Common common;

  @Mixin
  Phases phases;

  @Option(names = "--groups", defaultValue = "10", description = "groups (default ${DEFAULT-VALUE})")
  int groups;

  @Option(names = "--members", defaultValue = "10", description = "members per group, sender included (default ${DEFAULT-VALUE})")
  int members;

  @Option(names = "--window", defaultValue = "4", description = "closed loop: messages in flight per group (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--rate", defaultValue = "0", description = "open loop: total messages sent per second; 0 = closed loop (default)")
  double rate;

  @Option(names = "--size", defaultValue = "0", description = "padding bytes added to each message text (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--check-cseq", description = "check that each member gets the group's messages with cseq strictly "
      + "increasing and gap-free (PROTOCOL.md v2); reported as figures.cseq")
  boolean checkCseq;

  @Override
  public Integer call() {
    if (members < 2) {
      throw new IllegalArgumentException("--members must be at least 2");
    }
    Meter meter = new Meter();
    CseqOrder cseqOrder = new CseqOrder();
    try (Driver driver = common.driver()) {
      Fleet fleet = new Fleet(driver, common, meter);
      List<BenchUser> users = fleet.users(groups * members, null);
      IntUnaryOperator loopOf = i -> i / members;
      IntFunction<Endpoint> endpointOf = i -> i % members == 0 ? common.senders() : common.receivers();
      List<BenchConnection> setUp = fleet.loginAll(users, loopOf, endpointOf, Accounts.LoginBy.AUTO, false);
      String run = UUID.randomUUID().toString().substring(0, 8);
      System.out.printf("creating %d groups (needs the CREATE_GROUP_ACK / ADD_GROUP_ACK extension)...%n", groups);
      Throttle.Outcome<Long> created = Throttle.run(groups, common.connectConcurrency, g -> driver.on(g,
          () -> form(setUp.subList(g * members, (g + 1) * members), "bench-" + run + "-" + g))).await();
      if (created.failed() > 0) {
        throw new IllegalStateException(created.failed() + " groups failed, first: " + created.firstFailure());
      }
      List<BenchConnection> connections = setUp;
      if (common.legacy) {
        // the classic server has no such acks, so a legacy session cannot count on them: ordinary sessions
        // formed the groups, legacy ones replace them
        Fleet.closeAll(setUp);
        connections = fleet.loginAll(users, loopOf, endpointOf, common.loginBy(Accounts.LoginBy.AUTO), true);
      }
      Traffic traffic = Traffic.of(window, rate, groups, size);
      Load load = new Load(driver);
      for (int g = 0; g < groups; g++) {
        Sender sender = Sender.groupChat(connections.get(g * members), meter, g, created.results().get(g),
            members - 1, traffic);
        for (int m = 1; m < members; m++) {
          new Receiver(connections.get(g * members + m), sender, meter);
          if (checkCseq) {
            connections.get(g * members + m).pushes(cseqOrder.check());
          }
        }
        load.add(g, sender);
      }
      System.out.printf("group: %d groups of %d, %s%s%n", groups, members, traffic.describe(),
          common.legacy ? ", legacy sessions" : "");
      long t0 = System.nanoTime();
      meter.window(t0 + TimeUnit.SECONDS.toNanos(phases.warmup),
          t0 + TimeUnit.SECONDS.toNanos(phases.warmup + phases.duration));
      load.start(t0, traffic, meter);
      Timeline.run(meter, t0, phases);
      Fleet.closeAll(connections);
      fleet.save();
      JsonObject settings = new JsonObject().put("groups", groups).put("members", members)
          .put("mode", traffic.openLoop() ? "open" : "closed").put("window", window).put("rate", rate)
          .put("padBytes", size).put("senders", common.senders().toString())
          .put("receivers", common.receivers().toString()).put("warmupSeconds", phases.warmup)
          .put("durationSeconds", phases.duration).put("legacy", common.legacy).put("checkCseq", checkCseq);
      JsonObject figures = meter.figures(phases.duration);
      if (checkCseq) {
        figures.put("cseq", cseqOrder.figures());
      }
      Report.emit(new JsonObject().put("scenario", "group").put("settings", settings).put("figures", figures),
          common.out("group"));
      return 0;
    }
  }

  /** The first member creates the group, the others join it; completes with the group id. */
  private static Future<Long> form(List<BenchConnection> group, String name) {
    BenchConnection creator = group.get(0);
    return creator.request(Messages.object(MsgId.CREATE_GROUP).put("id", creator.user().id).put("groupname", name)
            .put("groupdesc", "bench").put("seq", 1))
        .compose(ack -> ack.path("msgid").asInt() == MsgId.CREATE_GROUP_ACK && ack.path("errno").asInt(-1) == 0
            ? Future.succeededFuture(ack.path("groupid").asLong())
            : Future.failedFuture("create group failed: " + ack))
        .compose(id -> {
          List<Future<ObjectNode>> joins = new ArrayList<>();
          for (BenchConnection member : group.subList(1, group.size())) {
            joins.add(member.request(Messages.object(MsgId.ADD_GROUP).put("id", member.user().id)
                .put("groupid", id).put("seq", 1)));
          }
          return Future.all(joins).compose(all -> {
            for (Future<ObjectNode> join : joins) {
              ObjectNode ack = join.result();
              if (ack.path("msgid").asInt() != MsgId.ADD_GROUP_ACK || ack.path("errno").asInt(-1) != 0) {
                return Future.failedFuture("join group failed: " + ack);
              }
            }
            return Future.succeededFuture(id);
          });
        });
  }
}
