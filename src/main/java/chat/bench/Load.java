package chat.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts every sender on its own loop. In open loop each loop gets a 1 ms timer that sends what is
 * due; the senders' first messages are spread over one interval so they do not all fire together.
 */
final class Load {
  private final Driver driver;
  private final List<List<Sender>> byLoop = new ArrayList<>();

  Load(Driver driver) {
    this.driver = driver;
    for (int i = 0; i < driver.loops(); i++) {
      byLoop.add(new ArrayList<>());
    }
  }

  void add(int loop, Sender sender) {
    byLoop.get(Math.floorMod(loop, byLoop.size())).add(sender);
  }

  void start(long t0, Traffic traffic, Meter meter) {
    int total = byLoop.stream().mapToInt(List::size).sum();
    int[] index = {0};
    for (int loop = 0; loop < byLoop.size(); loop++) {
      List<Sender> senders = byLoop.get(loop);
      long[] firstDue = new long[senders.size()];
      for (int i = 0; i < senders.size(); i++) {
        firstDue[i] = t0 + traffic.intervalNanos() * index[0]++ / Math.max(total, 1);
      }
      driver.loop(loop).runOnContext(v -> {
        for (int i = 0; i < senders.size(); i++) {
          senders.get(i).start(firstDue[i]);
        }
        if (traffic.openLoop() && !senders.isEmpty()) {
          driver.vertx().setPeriodic(1, id -> {
            long now = System.nanoTime();
            if (!meter.sending(now)) {
              driver.vertx().cancelTimer(id);
              return;
            }
            for (Sender s : senders) {
              s.tick(now);
            }
          });
        }
      });
    }
  }
}
