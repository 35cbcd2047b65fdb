package chat.service;

import chat.cluster.Presence;
import chat.protocol.Messages;
import chat.store.Group;
import chat.store.User;
import chat.store.UserCard;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code friends} and {@code groups} of a LOGIN_MSG_ACK or CARD_ACK, in the classic shape: arrays
 * of JSON texts, each person with their state, read from presence in one lookup. Someone who blocks
 * the user shows offline: a block hides one's presence.
 */
record CardLists(List<String> friends, List<String> groups) {

  static Future<CardLists> of(Presence presence, UserCard card) {
    return presence.online(everyone(card.friends(), card.groups()))
        .map(online -> {
          Set<Long> shown = new HashSet<>(online);
          shown.removeAll(card.blocks().blockers());
          return new CardLists(friendEntries(card.friends(), shown), groupEntries(card.groups(), shown));
        });
  }

  private static Set<Long> everyone(List<User> friends, List<Group> groups) {
    Set<Long> ids = new HashSet<>();
    friends.forEach(f -> ids.add(f.id()));
    groups.forEach(g -> g.members().forEach(m -> ids.add(m.user().id())));
    return ids;
  }

  private static List<String> friendEntries(List<User> friends, Set<Long> online) {
    List<String> out = new ArrayList<>(friends.size());
    for (User f : friends) {
      out.add(Messages.text(Messages.userEntry(f.id(), f.name(), online.contains(f.id()))));
    }
    return out;
  }

  private static List<String> groupEntries(List<Group> groups, Set<Long> online) {
    List<String> out = new ArrayList<>(groups.size());
    for (Group g : groups) {
      List<String> users = new ArrayList<>(g.members().size());
      for (Group.Member m : g.members()) {
        users.add(Messages.text(Messages.userEntry(m.user().id(), m.user().name(), online.contains(m.user().id()))
            .put("role", m.role())));
      }
      out.add(Messages.text(Messages.groupEntry(g.id(), g.name(), g.description(), users)));
    }
    return out;
  }
}
