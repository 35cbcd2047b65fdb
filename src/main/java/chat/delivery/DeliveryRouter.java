package chat.delivery;

import chat.cluster.RemoteNodes;
import chat.ops.ChatMetrics;
import chat.session.LocalSessions;
import chat.session.Outbound;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sessions on this node first (each through its one door), then the other nodes: those of the
 * recipients no session here took, or, when a user may hold several sessions, every recipient's
 * other nodes. A message's sender is always among its local recipients: the session that sent it
 * takes its place in the conversation that way, and the sender's other sessions get it like anyone.
 */
public final class DeliveryRouter implements Router {
  private static final String LOCAL = "local";
  private static final String REMOTE = "remote";
  private static final String OWED = "owed";

  private final LocalSessions sessions;
  private final RemoteNodes remote;
  private final ChatMetrics metrics;
  private final boolean severalSessions;

  public DeliveryRouter(LocalSessions sessions, RemoteNodes remote, ChatMetrics metrics, int maxPerUser) {
    this.sessions = sessions;
    this.remote = remote;
    this.metrics = metrics;
    this.severalSessions = maxPerUser > 1;
  }

  @Override
  public Future<List<Long>> push(List<Long> recipients, Outbound message) {
    long start = System.nanoTime();
    List<Long> here = new ArrayList<>(recipients.size() + 1);
    here.addAll(recipients);
    here.add(message.sender());
    return sessions.deliver(here, message).compose(notHere -> {
      notHere.remove(message.sender());
      record(LOCAL, recipients.size() - notHere.size(), start);
      // with one session per user, the sender's was the one that sent it
      List<Long> elsewhere = severalSessions ? here : notHere;
      if (elsewhere.isEmpty()) {
        return Future.succeededFuture(notHere);
      }
      return remote.send(elsewhere, message.relayed()).map(missedThere -> {
        // missed: by every session of the recipient, here and there
        List<Long> missed = missedThere;
        if (severalSessions) {
          Set<Long> there = new HashSet<>(missedThere);
          missed = notHere.stream().filter(there::contains).toList();
        }
        record(REMOTE, elsewhere.size() - missedThere.size(), start);
        record(OWED, missed.size(), start);
        return missed;
      });
    });
  }

  @Override
  public void signal(List<Signal> signals) {
    List<Future<List<Long>>> here = new ArrayList<>(signals.size());
    signals.forEach(s -> here.add(sessions.deliver(s.userIds(), s.message())));
    Future.join(here).onComplete(done -> {
      List<RemoteNodes.Signal> elsewhere = new ArrayList<>();
      for (int i = 0; i < signals.size(); i++) {
        Signal s = signals.get(i);
        List<Long> to = severalSessions || here.get(i).failed() ? s.userIds() : here.get(i).result();
        if (!to.isEmpty()) {
          elsewhere.add(new RemoteNodes.Signal(to, s.message().relayed()));
        }
      }
      if (!elsewhere.isEmpty()) {
        remote.signal(elsewhere);
      }
    });
  }

  @Override
  public Future<Void> notify(List<Long> userIds, Outbound notice) {
    return sessions.deliver(userIds, notice).compose(notHere -> {
      List<Long> elsewhere = severalSessions ? userIds : notHere;
      if (elsewhere.isEmpty()) {
        return Future.succeededFuture();
      }
      // a user missed may have moved since the node last saw them: their nodes are asked of Redis the second time
      return remote.send(elsewhere, notice.relayed())
          .compose(missed -> missed.isEmpty() ? Future.succeededFuture() : remote.send(missed, notice.relayed()))
          .mapEmpty();
    });
  }

  private void record(String route, int recipients, long start) {
    if (recipients > 0) {
      metrics.delivered(route, recipients, start);
    }
  }
}
