package chat.testing;

import java.util.ArrayList;
import java.util.List;

import static chat.testing.V2.assertSocial;

/**
 * A user registered under a fresh name (password "pw") and logged in on a connection of its own:
 * that connection, the id, the name.
 */
public record Person(TestClient c, long id, String name) implements AutoCloseable {

  /** Registers a user named after {@code prefix} on {@code c} and logs in there, asking for {@code caps}. */
  public static Person loggedIn(TestClient c, String prefix, String... caps) {
    String name = TestClient.uniqueName(prefix);
    long id = c.register(name, "pw");
    V2.loginOk(c, id, "pw", caps);
    return new Person(c, id, name);
  }

  /**
   * A group this person creates and {@code joiners} join, in this order, each in a later millisecond
   * than the one before (so which member is the longest is clear). Every member already in the group
   * is told of each join (SOCIAL member_joined, so all of them asked for "social"). The group's id.
   */
  public long createGroupJoinedBy(String groupName, Person... joiners) {
    long g = V2.createGroup(c, groupName);
    List<Person> members = new ArrayList<>(List.of(this));
    for (Person joiner : joiners) {
      Waits.nextMillisecond();
      V2.join(joiner.c(), g);
      for (Person member : members) {
        assertSocial(member.c().expect(44), "member_joined", joiner.id(), joiner.name(), g);
      }
      members.add(joiner);
    }
    return g;
  }

  @Override
  public void close() {
    c.close();
  }
}
