package chat.client;

import chat.protocol.Messages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A successful LOGIN_MSG_ACK, decoded: who we are, our friends and groups, whom we block, and what
 * waited for us; or the same user with the fresh lists of a CARD_ACK ({@link #withCard}).
 */
record Profile(long id, String name, String token, List<Person> friends, List<Group> groups, List<Long> blocked,
               List<ObjectNode> offline) {

  /** A friend, or a group member ({@code role} is empty for friends). */
  record Person(long id, String name, String state, String role) {
  }

  record Group(long id, String name, String desc, List<Person> members) {
  }

  static Profile from(ObjectNode ack) {
    return new Profile(ack.path("id").asLong(), ack.path("name").asText(), ack.path("token").asText(null),
        strings(ack.path("friends"), Profile::person),
        strings(ack.path("groups"), g -> new Group(g.path("id").asLong(), g.path("groupname").asText(),
            g.path("groupdesc").asText(), strings(g.path("users"), Profile::person))),
        ids(ack.path("blocked")), strings(ack.path("offlinemsg"), m -> m));
  }

  /** This user with the friends and groups of a CARD_ACK (the login reply's shapes), nothing offline. */
  Profile withCard(ObjectNode cardAck) {
    Profile lists = from(cardAck);
    return new Profile(id, name, token, lists.friends(), lists.groups(), lists.blocked(), List.of());
  }

  private static Person person(ObjectNode p) {
    return new Person(p.path("id").asLong(), p.path("name").asText(), p.path("state").asText(),
        p.path("role").asText(""));
  }

  private static List<Long> ids(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(id -> out.add(id.asLong()));
    return out;
  }

  /** The legacy reply nests JSON objects as strings inside arrays. */
  private static <T> List<T> strings(JsonNode array, Function<ObjectNode, T> decode) {
    List<T> out = new ArrayList<>();
    for (JsonNode item : array) {
      out.add(decode.apply(item.isTextual() ? Messages.parseObject(item.textValue()) : (ObjectNode) item));
    }
    return out;
  }
}
