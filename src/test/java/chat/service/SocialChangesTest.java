package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.Person;
import chat.testing.TestClient;
import chat.testing.TestNode;
import chat.testing.V2;
import chat.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static chat.testing.V2.ALL_CAPS;
import static chat.testing.V2.assertSocial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Social changes on one node (PROTOCOL.md, "Sessions, presence and social changes (v2)"):
 * REMOVE_FRIEND, LEAVE_GROUP with its hand-over and end, the SOCIAL events they cause, FIND_USER,
 * CARD and CHANGE_PASSWORD.
 */
class SocialChangesTest extends NodeTestBase {
  private static final Duration QUIET = Duration.ofMillis(300);

  @Override
  protected JsonObject overrides() {
    return TestNode.cheapPasswordHashing();
  }

  private Person person(String prefix, String... caps) {
    return Person.loggedIn(client(), prefix, caps);
  }

  /** With every cap. */
  private Person person(String prefix) {
    return person(prefix, ALL_CAPS);
  }

  // --- presence ---

  /**
   * A login claims the user before it checks the token, and a friend's card read meanwhile shows
   * them online: a login that fails afterwards tells the friends "offline", so none is left
   * believing it.
   */
  @Test
  void aLoginThatFailsAfterItsClaimTellsFriendsOffline() {
    Person alice = person("alice");
    TestClient bobs = client();
    String bobName = TestClient.uniqueName("bob");
    long bob = bobs.register(bobName, "pw");
    String token = V2.loginOk(bobs, bob, "pw").getString("token");
    V2.befriend(bobs, alice.id());
    // LOGINOUT revokes bob's token: a login with it is claimed, then refused
    bobs.send(new JsonObject().put("msgid", 3).put("seq", "out"));
    bobs.expect(15);
    V2.await(alice.c(), Duration.ofSeconds(10), V2.presence(bob, "offline"), null);

    JsonObject refused = V2.tokenLogin(bobs, bob, token);
    assertEquals(1, refused.getInteger("errno"), refused::encode);
    V2.await(alice.c(), Duration.ofSeconds(10), V2.presence(bob, "offline"), null);
    assertEquals("offline", V2.friendState(V2.card(alice.c()), bob));
  }

  // --- REMOVE_FRIEND ---

  @Test
  void removeFriendIsMutualTellsTheFormerFriendAndKeepsTheirHistory() {
    Person alice = person("alice");
    Person bob = person("bob");
    V2.befriend(alice.c(), bob.id());
    assertSocial(bob.c().expect(44), "friend_added", alice.id(), alice.name(), null);
    alice.c().chat(bob.id(), "before", 1);
    alice.c().expect(14);
    bob.c().expect(6);
    bob.c().chat(alice.id(), "reply", 2);
    bob.c().expect(14);
    alice.c().expect(6);

    alice.c().send(new JsonObject().put("msgid", 40).put("friendid", bob.id()).put("seq", 3));
    JsonObject ack = alice.c().expect(41);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    assertEquals(bob.id(), ack.getLong("friendid"));
    assertEquals(3, ack.getInteger("seq"));
    assertSocial(bob.c().expect(44), "friend_removed", alice.id(), alice.name(), null);
    alice.c().expectSilence(QUIET);

    assertTrue(V2.friends(V2.card(alice.c())).isEmpty(), "mutual: gone from alice's friends");
    assertTrue(V2.friends(V2.card(bob.c())).isEmpty(), "mutual: gone from bob's friends");

    bob.c().send(new JsonObject().put("msgid", 40).put("friendid", alice.id()).put("seq", 4));
    JsonObject notFriends = bob.c().expectError(106);
    assertEquals(40, notFriends.getInteger("re"));
    assertEquals(4, notFriends.getInteger("seq"));

    String conv = V2.pair(alice.id(), bob.id());
    for (Person p : List.of(alice, bob)) {
      JsonObject history = V2.sync(p.c(), new JsonObject().put("conv", conv));
      assertEquals(31, history.getInteger("msgid"), history::encode);
      assertEquals(List.of("before", "reply"), V2.texts(history), "a removed friend's history stays readable");
    }

    // former friends are not told about each other's presence any more
    V2.logout(alice.c());
    bob.c().expectSilence(QUIET);

    // and may be friends again
    TestClient again = client();
    V2.loginOk(again, alice.id(), "pw", ALL_CAPS);
    bob.c().expectSilence(QUIET);
    V2.befriend(bob.c(), alice.id());
    assertSocial(again.expect(44), "friend_added", bob.id(), bob.name(), null);
  }

  @Test
  void removeFriendErrors() {
    Person alice = person("alice");
    alice.c().send(new JsonObject().put("msgid", 40).put("seq", 1));
    assertEquals(40, alice.c().expectError(102).getInteger("re"));
    alice.c().send(new JsonObject().put("msgid", 40).put("friendid", "x").put("seq", 2));
    alice.c().expectError(102);
    alice.c().send(new JsonObject().put("msgid", 40).put("friendid", 99_999_999L).put("seq", 3));
    alice.c().expectError(106);
    alice.c().send(new JsonObject().put("msgid", 40).put("friendid", alice.id()).put("seq", 4));
    alice.c().expectError(106);
    TestClient anonymous = client();
    anonymous.send(new JsonObject().put("msgid", 40).put("friendid", alice.id()).put("seq", 5));
    anonymous.expectError(104);
  }

  @Test
  void socialEventsGoOnlyToSessionsThatAskedForThem() {
    Person alice = person("alice");
    Person plain = person("plain", "receipts", "typing", "presence");
    TestClient legacy = client();
    long legacyId = legacy.register(TestClient.uniqueName("legacy"), "pw");
    assertEquals(0, legacy.legacyLogin(legacyId, "pw").getInteger("errno"));
    Person watcher = person("watcher");

    V2.befriend(alice.c(), plain.id());
    V2.befriend(alice.c(), legacyId);
    V2.befriend(alice.c(), watcher.id());
    // the one who asked for social events gets its own; the others get nothing at all
    assertSocial(watcher.c().expect(44), "friend_added", alice.id(), alice.name(), null);
    plain.c().expectSilence(QUIET);
    legacy.expectSilence(QUIET);
  }

  // --- LEAVE_GROUP ---

  @Test
  void theCreatorLeavingHandsTheGroupToItsLongestMemberAndTheLastOneEndsIt() {
    Person alice = person("alice");
    Person carol = person("carol"); // registered before bob: the smaller id, but she joins later
    Person bob = person("bob");
    long g = alice.createGroupJoinedBy("club", bob, carol);
    carol.c().expectSilence(QUIET);

    groupChat(alice, g, "m1", bob, carol);
    groupChat(bob, g, "m2", alice, carol);

    JsonObject left = V2.leave(alice.c(), g);
    assertEquals(43, left.getInteger("msgid"), left::encode);
    assertEquals(0, left.getInteger("errno"));
    assertEquals(g, left.getLong("groupid"));
    assertEquals("leave", left.getString("seq"));
    assertFalse(left.getBoolean("ended", false), "two members are left: " + left.encode());
    for (Person p : List.of(bob, carol)) {
      JsonObject event = p.c().expect(44);
      assertSocial(event, "member_left", alice.id(), alice.name(), g);
      assertEquals(bob.id(), event.getLong("creator"), "the longest member takes over: " + event.encode());
    }
    alice.c().expectSilence(QUIET);

    assertTrue(V2.groups(V2.card(alice.c())).isEmpty(), "alice is in no group any more");
    JsonObject group = V2.onlyGroup(V2.card(bob.c()));
    assertEquals(g, group.getLong("id"));
    assertEquals(Map.of(bob.id(), "creator", carol.id(), "normal"), V2.members(group));

    // no longer a member: cannot write, mark read or leave again (the group exists: 105)
    alice.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "still here?").put("seq", 5));
    assertEquals(10, alice.c().expectError(105).getInteger("re"));
    alice.c().send(new JsonObject().put("msgid", 34).put("conv", "g:" + g).put("cseq", 1).put("seq", 6));
    alice.c().expectError(105);
    assertEquals(105, V2.leave(alice.c(), g).getInteger("errno"));

    groupChat(carol, g, "m3", bob);
    alice.c().expectSilence(QUIET);

    // alice reads up to where she left, and nothing after
    JsonObject newest = V2.sync(alice.c(), new JsonObject().put("conv", "g:" + g));
    assertEquals(31, newest.getInteger("msgid"), newest::encode);
    assertEquals(List.of("m1", "m2"), V2.texts(newest));
    assertEquals(2, newest.getLong("last"));
    assertFalse(newest.getBoolean("more"));
    JsonObject after = V2.sync(alice.c(), new JsonObject().put("conv", "g:" + g).put("after", 1));
    assertEquals(List.of("m2"), V2.texts(after));
    assertEquals(2, after.getLong("last"));
    assertFalse(after.getBoolean("more"));
    JsonObject beyond = V2.sync(alice.c(), new JsonObject().put("conv", "g:" + g).put("after", 2));
    assertEquals(List.of(), V2.texts(beyond));
    JsonObject before = V2.sync(alice.c(), new JsonObject().put("conv", "g:" + g).put("before", 100));
    assertEquals(List.of("m1", "m2"), V2.texts(before));

    // bob, creator now, leaves: carol takes over
    JsonObject bobLeft = V2.leave(bob.c(), g);
    assertEquals(43, bobLeft.getInteger("msgid"), bobLeft::encode);
    assertFalse(bobLeft.getBoolean("ended", false));
    JsonObject event = carol.c().expect(44);
    assertSocial(event, "member_left", bob.id(), bob.name(), g);
    assertEquals(carol.id(), event.getLong("creator"), event::encode);
    assertEquals(Map.of(carol.id(), "creator"), V2.members(V2.onlyGroup(V2.card(carol.c()))));

    // the last member ends the group
    JsonObject last = V2.leave(carol.c(), g);
    assertEquals(43, last.getInteger("msgid"), last::encode);
    assertEquals(0, last.getInteger("errno"));
    assertTrue(last.getBoolean("ended", false), last::encode);
    for (Person p : List.of(alice, bob, carol)) {
      p.c().expectSilence(Duration.ofMillis(100));
    }
    assertEquals(106, V2.leave(carol.c(), g).getInteger("errno"), "an ended group is no group");
    carol.c().send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", "rejoin"));
    carol.c().expectError(106);
    carol.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "anyone?").put("seq", "x"));
    carol.c().expectError(106);

    // each past member still reads up to where they left, after the end too
    assertEquals(List.of("m1", "m2", "m3"), V2.texts(V2.sync(carol.c(), new JsonObject().put("conv", "g:" + g))));
    assertEquals(List.of("m1", "m2", "m3"), V2.texts(V2.sync(bob.c(), new JsonObject().put("conv", "g:" + g))));
    assertEquals(List.of("m1", "m2"), V2.texts(V2.sync(alice.c(), new JsonObject().put("conv", "g:" + g))));
  }

  @Test
  void aMemberWhoLeftIsOwedNothingWrittenAfterwards() {
    Person alice = person("alice");
    Person bob = person("bob");
    long g = alice.createGroupJoinedBy("left", bob);
    groupChat(alice, g, "one", bob);
    // the common way out: a last word, and leave at once
    groupChat(bob, g, "bye", alice);
    assertEquals(43, V2.leave(bob.c(), g).getInteger("msgid"));
    assertSocial(alice.c().expect(44), "member_left", bob.id(), bob.name(), g);
    groupChat(alice, g, "two");
    bob.c().expectSilence(QUIET);
    V2.logout(bob.c());
    groupChat(alice, g, "three");
    JsonObject login = V2.loginOk(bob.c(), bob.id(), "pw", ALL_CAPS);
    assertEquals(new JsonArray(), login.getJsonArray("offlinemsg"),
        "written after bob left: not his to read, so never owed to him");
    assertTrue(V2.groups(login).isEmpty());
    bob.c().expectSilence(QUIET);
    assertEquals(List.of("one", "bye"), V2.texts(V2.sync(bob.c(), new JsonObject().put("conv", "g:" + g))));
  }

  @Test
  void aMemberWhoRejoinedReadsTheWholeLogAndGetsWhatFollows() {
    Person alice = person("alice");
    Person bob = person("bob");
    long g = alice.createGroupJoinedBy("again", bob);
    groupChat(alice, g, "one", bob);
    assertEquals(43, V2.leave(bob.c(), g).getInteger("msgid"));
    assertSocial(alice.c().expect(44), "member_left", bob.id(), bob.name(), g);
    groupChat(alice, g, "two");
    V2.join(bob.c(), g);
    assertSocial(alice.c().expect(44), "member_joined", bob.id(), bob.name(), g);
    alice.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "three").put("seq", "three"));
    alice.c().expect(14);
    // what follows comes live (this session may also be given "two" to keep its stream gap-free:
    // a member again may read all of it)
    List<JsonObject> before = new ArrayList<>();
    V2.await(bob.c(), Duration.ofSeconds(10), V2.chat("three"), before);
    assertTrue(before.stream().allMatch(V2.chat("two")) && before.size() <= 1, "nothing else first: " + before);
    bob.c().expectSilence(QUIET);
    assertEquals(List.of("one", "two", "three"), V2.texts(V2.sync(bob.c(), new JsonObject().put("conv", "g:" + g))),
        "a member again reads the whole log");
  }

  @Test
  void leaveGroupErrors() {
    Person alice = person("alice");
    Person outsider = person("outsider");
    long g = V2.createGroup(alice.c(), "mine");
    JsonObject notMember = V2.leave(outsider.c(), g);
    assertEquals(99, notMember.getInteger("msgid"), notMember::encode);
    assertEquals(105, notMember.getInteger("errno"));
    assertEquals(42, notMember.getInteger("re"));
    assertEquals(106, V2.leave(outsider.c(), 99_999_999L).getInteger("errno"));
    outsider.c().send(new JsonObject().put("msgid", 42).put("seq", 1));
    outsider.c().expectError(102);
    // an outsider who never was a member reads nothing
    JsonObject sync = V2.sync(outsider.c(), new JsonObject().put("conv", "g:" + g));
    assertEquals(105, sync.getInteger("errno"), sync::encode);
  }

  // --- FIND_USER ---

  @Test
  void findUserMatchesNamePrefixesInAnyCaseWithTheirState() {
    TestClient setup = client();
    long zhangSan = setup.register("Zhang San", "pw");
    long zhangWei = setup.register("zhang wei", "pw");
    long zhangXin = setup.register("ZHANGXIN", "pw");
    long zhao = setup.register("Zhao", "pw");
    setup.register("li si", "pw");
    V2.loginOk(client(), zhangSan, "pw");
    Person seeker = person("seeker");

    JsonObject found = V2.find(seeker.c(), "zhang");
    assertEquals(46, found.getInteger("msgid"), found::encode);
    assertEquals(0, found.getInteger("errno"));
    assertEquals("find", found.getString("seq"));
    assertEquals(Set.of(zhangSan, zhangWei, zhangXin), ids(found));
    for (Object o : found.getJsonArray("users")) {
      JsonObject u = (JsonObject) o;
      assertEquals(u.getLong("id") == zhangSan ? "online" : "offline", u.getString("state"), u::encode);
      assertEquals(u.getLong("id") == zhangSan ? "Zhang San" : u.getLong("id") == zhangWei ? "zhang wei" : "ZHANGXIN",
          u.getString("name"), "names come back as registered");
    }
    assertEquals(Set.of(zhangSan, zhangWei, zhangXin), ids(V2.find(seeker.c(), "ZHANG")));
    assertEquals(Set.of(zhangSan), ids(V2.find(seeker.c(), "zHaNg S")));
    assertEquals(Set.of(zhangSan, zhangWei, zhangXin, zhao), ids(V2.find(seeker.c(), "Zh")));
    assertEquals(Set.of(), ids(V2.find(seeker.c(), "hang")), "a prefix, not a substring");
  }

  @Test
  void findUserTakesPercentUnderscoreAndItsEscapeLiterally() {
    TestClient setup = client();
    long percent = setup.register("50%off", "pw");
    setup.register("50 percent", "pw");
    long underscore = setup.register("5_x", "pw");
    setup.register("5ax", "pw");
    long bang = setup.register("a!b", "pw");
    setup.register("ab", "pw");
    Person seeker = person("seeker");
    assertEquals(Set.of(percent), ids(V2.find(seeker.c(), "50%")));
    assertEquals(Set.of(underscore), ids(V2.find(seeker.c(), "5_")));
    assertEquals(Set.of(), ids(V2.find(seeker.c(), "%")));
    assertEquals(Set.of(), ids(V2.find(seeker.c(), "_")));
    assertEquals(Set.of(bang), ids(V2.find(seeker.c(), "a!")));
  }

  @Test
  void findUserListsAtMostTwenty() {
    TestClient setup = client();
    Set<Long> crowd = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      crowd.add(setup.register("crowd-" + i, "pw"));
    }
    setup.register("crow", "pw");
    Person seeker = person("seeker");
    JsonObject found = V2.find(seeker.c(), "Crowd");
    assertEquals(20, found.getJsonArray("users").size(), found::encode);
    assertTrue(crowd.containsAll(ids(found)));
    assertEquals(20, ids(found).size(), "no one twice");
    JsonObject fewer = V2.find(seeker.c(), "crowd-2");
    List<String> names = new ArrayList<>();
    fewer.getJsonArray("users").forEach(u -> names.add(((JsonObject) u).getString("name")));
    names.sort(Comparator.naturalOrder());
    assertEquals(List.of("crowd-2", "crowd-20", "crowd-21", "crowd-22", "crowd-23", "crowd-24"), names);
  }

  @Test
  void findUserIsRateLimitedPerUserAndRecovers() {
    Person seeker = person("seeker");
    Person other = person("other");
    for (int i = 0; i < 5; i++) {
      assertEquals(46, V2.find(seeker.c(), "s").getInteger("msgid"), "a burst of 5 is allowed");
    }
    seeker.c().send(new JsonObject().put("msgid", 45).put("name", "s").put("seq", "too-fast"));
    JsonObject limited = seeker.c().expectError(107);
    assertEquals(45, limited.getInteger("re"));
    assertEquals("too-fast", limited.getString("seq"));
    // the connection stays usable, and the limit is this user's, not everyone's
    seeker.c().send(new JsonObject().put("msgid", 20).put("seq", "ping"));
    seeker.c().expect(21);
    assertEquals(46, V2.find(other.c(), "s").getInteger("msgid"));
    // then one a second: within a few seconds a search goes through again
    JsonObject again = null;
    for (int i = 0; i < 50 && (again == null || again.getInteger("msgid") != 46); i++) {
      Waits.sleep(100);
      again = V2.find(seeker.c(), "s");
      if (again.getInteger("msgid") == 99) {
        assertEquals(107, again.getInteger("errno"), again::encode);
      }
    }
    assertNotNull(again);
    assertEquals(46, again.getInteger("msgid"), again::encode);
  }

  @Test
  void findUserErrors() {
    Person seeker = person("seeker");
    seeker.c().send(new JsonObject().put("msgid", 45).put("seq", 1));
    assertEquals(45, seeker.c().expectError(102).getInteger("re"));
    seeker.c().send(new JsonObject().put("msgid", 45).put("name", "").put("seq", 2));
    seeker.c().expectError(102);
    seeker.c().send(new JsonObject().put("msgid", 45).put("name", 7).put("seq", 3));
    seeker.c().expectError(102);
    TestClient anonymous = client();
    anonymous.send(new JsonObject().put("msgid", 45).put("name", "s").put("seq", 4));
    anonymous.expectError(104);
  }

  // --- CARD ---

  @Test
  void cardListsFriendsAndGroupsAsTheLoginDoesAndFollowsChanges() {
    Person alice = person("alice");
    Person bob = person("bob");
    TestClient carolConn = client();
    String carolName = TestClient.uniqueName("carol");
    long carol = carolConn.register(carolName, "pw");
    V2.befriend(alice.c(), bob.id());
    V2.befriend(alice.c(), carol);
    assertSocial(bob.c().expect(44), "friend_added", alice.id(), alice.name(), null);
    long g = alice.createGroupJoinedBy("card club", bob);

    JsonObject card = V2.card(alice.c());
    assertEquals(0, card.getInteger("errno"));
    assertEquals("card", card.getString("seq"));
    assertNull(card.getValue("offlinemsg"), "a card is not a login: " + card.encode());
    assertNull(card.getValue("token"), card::encode);
    assertEquals("online", V2.friendState(card, bob.id()));
    assertEquals("offline", V2.friendState(card, carol));
    JsonObject group = V2.onlyGroup(card);
    assertEquals("card club", group.getString("groupname"));
    assertEquals("about card club", group.getString("groupdesc"));
    assertEquals(Map.of(alice.id(), "creator", bob.id(), "normal"), V2.members(group));

    // the same lists as a login reply, in the same legacy shape (arrays of JSON texts)
    V2.logout(alice.c());
    JsonObject login = V2.loginOk(alice.c(), alice.id(), "pw", ALL_CAPS);
    JsonObject again = V2.card(alice.c());
    for (String list : List.of("friends", "groups")) {
      for (Object entry : again.getJsonArray(list)) {
        assertTrue(entry instanceof String, "entries are JSON texts: " + again.encode());
      }
      assertEquals(normalized(login.getJsonArray(list)), normalized(again.getJsonArray(list)), list);
    }

    // fresh without logging in again (bob, alice's friend, was told she went and came back)
    V2.loginOk(carolConn, carol, "pw");
    bob.c().send(new JsonObject().put("msgid", 40).put("friendid", alice.id()).put("seq", "unfriend"));
    bob.c().expectIgnoring(41, 38);
    // presence is pushed a window late (sessions.presenceWindowMillis): it may still come
    bob.c().send(new JsonObject().put("msgid", 42).put("groupid", g).put("seq", "leave"));
    assertEquals(0, bob.c().expectIgnoring(43, 38).getInteger("errno"));
    Set<String> told = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonObject m = alice.c().next();
      told.add(m.getInteger("msgid") + ":" + m.getLong("id") + ":" + m.getString("event", m.getString("state")));
    }
    assertEquals(Set.of("38:" + carol + ":online", "44:" + bob.id() + ":friend_removed",
        "44:" + bob.id() + ":member_left"), told);
    JsonObject changed = waitForCard(alice.c(), c -> "online".equals(V2.friendState(c, carol)));
    assertEquals(List.of(carol), V2.friends(changed).stream().map(f -> f.getLong("id")).toList());
    assertEquals(Map.of(alice.id(), "creator"), V2.members(V2.onlyGroup(changed)));
  }

  // --- CHANGE_PASSWORD ---

  @Test
  void changePasswordRevokesEveryOtherTokenButTheCallers() {
    TestClient first = client();
    long id = first.register(TestClient.uniqueName("changer"), "old-pw");
    String otherToken = first.login(id, "old-pw").getString("token");
    first.close();
    TestClient caller = client();
    JsonObject login = TestClient.retryWhileInUse(() -> caller.login(id, "old-pw"));
    assertEquals(0, login.getInteger("errno"), login::encode);
    String callersToken = login.getString("token");
    assertNotNull(callersToken);

    caller.send(new JsonObject().put("msgid", 49).put("password", "wrong").put("newpassword", "new-pw").put("seq", 1));
    JsonObject wrong = caller.expect(50);
    assertEquals(1, wrong.getInteger("errno"), wrong::encode);
    assertNotNull(wrong.getString("errmsg"));
    assertEquals(1, wrong.getInteger("seq"));

    caller.send(new JsonObject().put("msgid", 49).put("password", "old-pw").put("newpassword", "new-pw").put("seq", 2));
    JsonObject changed = caller.expect(50);
    assertEquals(0, changed.getInteger("errno"), changed::encode);
    assertEquals(2, changed.getInteger("seq"));
    // the caller's session goes on
    V2.card(caller);
    caller.close();

    TestClient next = client();
    JsonObject revoked = TestClient.retryWhileInUse(() -> V2.tokenLogin(next, id, otherToken));
    assertEquals(1, revoked.getInteger("errno"), "a revoked token's re-login: " + revoked.encode());
    assertEquals(1, next.login(id, "old-pw").getInteger("errno"), "the old password is gone");
    JsonObject kept = V2.tokenLogin(next, id, callersToken);
    assertEquals(0, kept.getInteger("errno"), "the caller's own token stays valid: " + kept.encode());
    V2.logout(next);
    assertEquals(0, next.login(id, "new-pw").getInteger("errno"), "the new password works");
  }

  @Test
  void changePasswordErrors() {
    TestClient c = client();
    long id = c.register(TestClient.uniqueName("changer"), "pw");
    assertEquals(0, c.login(id, "pw").getInteger("errno"));
    c.send(new JsonObject().put("msgid", 49).put("password", "pw").put("seq", 1));
    assertEquals(49, c.expectError(102).getInteger("re"));
    c.send(new JsonObject().put("msgid", 49).put("password", "pw").put("newpassword", "").put("seq", 2));
    c.expectError(102);
    c.send(new JsonObject().put("msgid", 49).put("newpassword", "x").put("seq", 3));
    c.expectError(102);
    c.close();
    TestClient anonymous = client();
    anonymous.send(new JsonObject().put("msgid", 49).put("password", "pw").put("newpassword", "x").put("seq", 4));
    anonymous.expectError(104);
    // nothing changed
    assertEquals(0, TestClient.retryWhileInUse(() -> anonymous.login(id, "pw")).getInteger("errno"));
  }

  // --- helpers ---

  /** A group message from {@code from}, acked, and received by each of {@code to}. */
  private static void groupChat(Person from, long g, String text, Person... to) {
    from.c().send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", text).put("seq", text));
    JsonObject ack = from.c().expect(14);
    assertEquals(text, ack.getString("seq"));
    for (Person p : to) {
      JsonObject got = p.c().expect(10);
      assertEquals(text, got.getString("msg"));
      assertEquals(from.id(), got.getLong("id"));
    }
  }

  private static Set<Long> ids(JsonObject findAck) {
    assertEquals(46, findAck.getInteger("msgid"), findAck::encode);
    Set<Long> out = new HashSet<>();
    findAck.getJsonArray("users").forEach(u -> out.add(((JsonObject) u).getLong("id")));
    return out;
  }

  /** A card list parsed and put in a stable order (entries by id, group members by id). */
  private static List<JsonObject> normalized(JsonArray list) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : list) {
      JsonObject entry = new JsonObject((String) o);
      if (entry.containsKey("users")) {
        List<JsonObject> users = new ArrayList<>();
        entry.getJsonArray("users").forEach(u -> users.add(new JsonObject((String) u)));
        users.sort(Comparator.comparingLong(u -> u.getLong("id")));
        entry.put("users", new JsonArray(new ArrayList<>(users)));
      }
      out.add(entry);
    }
    out.sort(Comparator.comparingLong(e -> e.getLong("id")));
    return out;
  }

  /** CARD until {@code ready} holds (presence may take a moment), for at most 5 s. */
  private static JsonObject waitForCard(TestClient c, java.util.function.Predicate<JsonObject> ready) {
    JsonObject card = V2.card(c);
    for (int i = 0; i < 50 && !ready.test(card); i++) {
      Waits.sleep(100);
      card = V2.card(c);
    }
    assertTrue(ready.test(card), card::encode);
    return card;
  }
}
