package chat.client;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence and social changes as they happen in other clients: friends added and removed, coming
 * and going, members joining and leaving groups (the creator handing a group over, the last member
 * ending it), user search, and friends/groups fetched with CARD.
 */
class ClientSocialTest extends ClientTestBase {
  private static final String HELP = "show command list >>>";

  @Test
  void friendsAddedAndRemovedAndTheirComingAndGoingAreShownAsTheyHappen() {
    TwoUsers pair = aliceAndBob();
    ClientUnderTest alice = pair.alice();
    String a = "[" + pair.aliceId() + "] " + pair.aliceName();
    String b = "[" + pair.bobId() + "] " + pair.bobName();

    alice.type("addfriend:" + pair.bobId());
    alice.expect(b + " is now your friend");
    pair.bob().expect(a + " added you as a friend");

    pair.bob().type("quit");
    assertEquals(0, pair.bob().exitCode(), pair.bob().output());
    alice.expect(b + " is offline");
    ClientUnderTest bob = loggedIn(pair.bobId(), "pw-b");
    alice.expect(b + " is online");

    bob.type("removefriend:" + pair.aliceId());
    bob.expect(a + " is no longer your friend");
    alice.expect(b + " removed you as a friend");
    bob.type("removefriend:" + pair.aliceId());
    bob.expect("error: user " + pair.aliceId() + " is not your friend (106)");
    bob.type("removefriend:bob");
    bob.expect("error: friendid must be a positive number, not 'bob' (removefriend:friendid)");

    // the list alice fetches no longer has bob
    alice.type("friends");
    alice.expect("----------------------friend list---------------------");
    alice.type("help");
    assertEquals(List.of(), alice.linesUntil(HELP));

    alice.type("quit");
    assertEquals(0, alice.exitCode(), alice.output());
    bob.type("quit");
    assertEquals(1, bob.exitCode(), bob.output());
  }

  @Test
  void membersJoiningAndLeavingAreShownAndTheGroupChangesHandsThenEnds() {
    TwoUsers pair = aliceAndBob();
    String carolName = name("carol");
    long c = register(carolName, "pw-c");
    ClientUnderTest carol = loggedIn(c, "pw-c");
    ClientUnderTest alice = pair.alice();
    ClientUnderTest bob = pair.bob();
    String a = "[" + pair.aliceId() + "] " + pair.aliceName();
    String b = "[" + pair.bobId() + "] " + pair.bobName();
    String cc = "[" + c + "] " + carolName;

    alice.type("creategroup:night owls:late");
    long g = Long.parseLong(alice.expect("created group[").replaceAll(".*its id is (\\d+).*", "$1"));
    bob.type("addgroup:" + g);
    bob.expect("joined group[" + g + "]");
    alice.expect(b + " joined group[" + g + "]");
    carol.type("addgroup:" + g);
    carol.expect("joined group[" + g + "]");
    alice.expect(cc + " joined group[" + g + "]");
    bob.expect(cc + " joined group[" + g + "]");

    // the creator leaves: the longest member, bob, takes over
    alice.type("leavegroup:" + g);
    alice.expect("left group[" + g + "]; " + b + " is its creator now");
    bob.expect(a + " left group[" + g + "]; you are its creator now");
    carol.expect(a + " left group[" + g + "]; " + b + " is its creator now");
    bob.type("groups");
    bob.expect(g + " night owls late");
    bob.type("help");
    List<String> members = bob.linesUntil(HELP);
    assertTrue(members.contains("    " + pair.bobId() + " " + pair.bobName() + " online creator"), members.toString());
    assertTrue(members.contains("    " + c + " " + carolName + " online normal"), members.toString());
    assertEquals(2, members.size(), members.toString());

    alice.type("leavegroup:" + g);
    alice.expect("error: not a member of group " + g + " (105)");
    bob.type("leavegroup:" + g);
    bob.expect("left group[" + g + "]; " + cc + " is its creator now");
    carol.expect(b + " left group[" + g + "]; you are its creator now");
    carol.type("leavegroup:" + g);
    carol.expect("left group[" + g + "]; you were its last member, so the group has ended");
    carol.type("leavegroup:" + g);
    carol.expect("error: no group " + g + " (106)");
    carol.type("leavegroup:0");
    carol.expect("error: groupid must be a positive number, not '0' (leavegroup:groupid)");

    bob.type("quit");
    assertEquals(0, bob.exitCode(), bob.output());
    alice.type("quit");
    assertEquals(1, alice.exitCode(), alice.output());
  }

  @Test
  void friendsAndGroupsShowChangesMadeElsewhereWithoutLoggingInAgain() {
    TwoUsers pair = aliceAndBob();
    ClientUnderTest alice = pair.alice();
    String carolName = name("carol");
    long c = register(carolName, "pw-c");

    pair.bob().type("addfriend:" + pair.aliceId());
    alice.expect("[" + pair.bobId() + "] " + pair.bobName() + " added you as a friend");
    alice.type("friends");
    alice.expect("----------------------friend list---------------------");
    alice.type("help");
    assertEquals(List.of(pair.bobId() + " " + pair.bobName() + " online"), alice.linesUntil(HELP));

    pair.bob().type("creategroup:book club:monthly");
    long g = Long.parseLong(pair.bob().expect("created group[").replaceAll(".*its id is (\\d+).*", "$1"));
    alice.type("addgroup:" + g);
    alice.expect("joined group[" + g + "]");
    ClientUnderTest carol = loggedIn(c, "pw-c");
    carol.type("addgroup:" + g);
    carol.expect("joined group[" + g + "]");
    carol.type("quit");
    assertEquals(0, carol.exitCode(), carol.output());
    alice.expect("[" + c + "] " + carolName + " joined group[" + g + "]");

    alice.type("groups");
    alice.expect("----------------------group list----------------------");
    alice.expect(g + " book club monthly");
    alice.type("help");
    assertEquals(Set.of("    " + pair.bobId() + " " + pair.bobName() + " online creator",
        "    " + pair.aliceId() + " " + pair.aliceName() + " online normal",
        "    " + c + " " + carolName + " offline normal"), new HashSet<>(alice.linesUntil(HELP)));

    // CARD on the same connection: bob was never told that alice went offline and came back
    pair.bob().type("help");
    pair.bob().expect(HELP);
    assertFalse(pair.bob().output().contains(pair.aliceName() + " is o"), pair.bob().output());
    alice.type("quit");
    assertEquals(0, alice.exitCode(), alice.output());
  }

  @Test
  void findListsUsersByTheStartOfTheirNameInAnyCaseAndSaysWhenSearchingTooFast() {
    String prefix = name("Zq").toLowerCase() + "-";
    String first = prefix + "one";
    long one = register(first, "pw-1");
    long two = register(prefix + "two", "pw-2");
    ClientUnderTest c = loggedIn(one, "pw-1");

    c.type("find:" + prefix.toUpperCase());
    c.expect("----------------------users named " + prefix.toUpperCase() + "...");
    c.type("help");
    assertEquals(List.of(one + " " + first + " online", two + " " + prefix + "two offline"), c.linesUntil(HELP));
    c.type("find:" + prefix + "three");
    c.expect("no user's name starts with '" + prefix + "three'");
    c.type("find: ");
    c.expect("error: name is empty (find:name)");

    // 20 at most, and it says so
    String many = name("many") + "-";
    ClientUnderTest registering = client();
    for (int i = 10; i <= 30; i++) {
      registering.register(many + i, "pw");
    }
    registering.close();
    c.type("find:" + many);
    c.type("help");
    List<String> found = c.linesUntil(HELP);
    assertEquals(22, found.size(), found.toString());
    assertTrue(found.get(20).matches("\\d+ " + many + "29 offline"), found.toString());
    assertEquals("(the first 20; type more of the name to see the others)", found.get(21));

    // a few at once, then one a second: a dozen in a row are too many
    for (int i = 0; i < 12; i++) {
      c.type("find:" + prefix);
    }
    c.expect("error: too many searches: one a second, please (107)");
    c.type("quit");
    assertEquals(1, c.exitCode(), c.output());
  }
}
