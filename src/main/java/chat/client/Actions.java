package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Carries out one server command for the logged-in user and says how it went. */
final class Actions {
  private final ClientSession session;
  private final Profile me;

  Actions(ClientSession session, Profile me) {
    this.session = session;
    this.me = me;
  }

  /** The confirmation to print; a failure is thrown with its reason. */
  String run(Command command) throws ClientException {
    if (command instanceof Command.Chat c) {
      ObjectNode ack = session.call(Messages.object(MsgId.ONE_CHAT).put("id", me.id()).put("name", me.name())
          .put("toid", c.to()).put("msg", c.text()).put("time", Format.now()));
      return "delivered".equals(ack.path("status").asText())
          ? "sent to [" + c.to() + "]: delivered"
          : "sent to [" + c.to() + "]: stored, delivered when they log in";
    }
    if (command instanceof Command.GroupChat g) {
      ObjectNode ack = session.call(Messages.object(MsgId.GROUP_CHAT).put("id", me.id()).put("name", me.name())
          .put("groupid", g.group()).put("msg", g.text()).put("time", Format.now()));
      return "sent to group[" + g.group() + "]: delivered to " + ack.path("delivered").asInt()
          + ", stored for " + ack.path("stored").asInt();
    }
    if (command instanceof Command.AddFriend f) {
      session.call(Messages.object(MsgId.ADD_FRIEND).put("id", me.id()).put("friendid", f.friend()));
      return "[" + f.friend() + "] is now your friend";
    }
    if (command instanceof Command.CreateGroup g) {
      ObjectNode ack = session.call(Messages.object(MsgId.CREATE_GROUP).put("id", me.id())
          .put("groupname", g.name()).put("groupdesc", g.desc()));
      return "created group[" + ack.path("groupid").asLong() + "] " + g.name() + " - its id is "
          + ack.path("groupid").asLong();
    }
    if (command instanceof Command.AddGroup g) {
      session.call(Messages.object(MsgId.ADD_GROUP).put("id", me.id()).put("groupid", g.group()));
      return "joined group[" + g.group() + "]";
    }
    if (command instanceof Command.Friends) {
      return refreshed(Format::friends);
    }
    if (command instanceof Command.Groups) {
      return refreshed(Format::groups);
    }
    throw new IllegalStateException("not a server command: " + command);
  }

  /** The fresh list, then anything that was stored for us while we switched connections. */
  private String refreshed(Function<Profile, String> list) throws ClientException {
    Profile fresh = session.refresh();
    List<String> lines = new ArrayList<>();
    lines.add(list.apply(fresh));
    fresh.offline().forEach(m -> lines.add(Format.message(m)));
    return String.join("\n", lines);
  }
}
