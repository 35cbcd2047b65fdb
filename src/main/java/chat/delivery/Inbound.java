package chat.delivery;

import chat.cluster.LocalRecipients;
import chat.cluster.Relayed;
import chat.session.LocalSessions;
import chat.session.Outbound;
import io.vertx.core.Future;

import java.util.List;

/** What other nodes send to this node's sessions: relayed pushes, catch-up and kick signals. */
public final class Inbound implements LocalRecipients {
  private final LocalSessions sessions;

  public Inbound(LocalSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public Future<List<Long>> deliver(List<Long> userIds, Relayed message) {
    return sessions.deliver(userIds, Outbound.relayed(message));
  }

  @Override
  public void catchUp(long userId) {
    sessions.catchUp(userId);
  }

  @Override
  public void kick(long userId, String session) {
    sessions.kick(userId, session);
  }
}
