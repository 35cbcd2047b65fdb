package chat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** A conversation with messages the user has not read: with user {@code id}, or in group {@code id}. */
record Unread(boolean group, long id, String name, long count) {

  /** The conversations of a CONVERSATIONS_ACK that have unread messages, most recent first. */
  static List<Unread> from(ObjectNode ack) {
    List<Unread> out = new ArrayList<>();
    for (JsonNode c : ack.path("convs")) {
      long count = c.path("unread").asLong();
      if (count <= 0) {
        continue;
      }
      boolean group = c.has("groupid");
      out.add(group
          ? new Unread(true, c.path("groupid").asLong(), c.path("groupname").asText(), count)
          : new Unread(false, c.path("with").asLong(), c.path("name").asText(), count));
    }
    return out;
  }
}
