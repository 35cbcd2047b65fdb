package chat.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of the users this client has heard of (friends and group members from the card,
 * the users of SOCIAL events and of searches): a PRESENCE push carries only the id. Safe from any
 * thread; the reader thread learns from pushes while commands learn from replies.
 */
final class Names {
  private final Map<Long, String> names = new ConcurrentHashMap<>();
  private volatile long me;

  /** Everyone the card names, the senders of what waited offline, and who we are. */
  void learn(Profile p) {
    me = p.id();
    learn(p.id(), p.name());
    p.friends().forEach(f -> learn(f.id(), f.name()));
    p.groups().forEach(g -> g.members().forEach(u -> learn(u.id(), u.name())));
    p.offline().forEach(this::learn);
  }

  /** The sender of a chat message, the subject of a SOCIAL event: {@code id} and {@code name}. */
  void learn(ObjectNode m) {
    learn(m.path("id").asLong(), m.path("name").asText(null));
  }

  void learn(long id, String name) {
    if (id > 0 && name != null && !name.isEmpty()) {
      names.put(id, name);
    }
  }

  boolean isMe(long id) {
    return id == me;
  }

  /** {@code [14] zhang san}, or {@code [14]} for a user whose name we do not know. */
  String label(long id) {
    String name = names.get(id);
    return name == null ? "[" + id + "]" : "[" + id + "] " + name;
  }
}
