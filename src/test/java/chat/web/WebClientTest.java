package chat.web;

import chat.testing.TcpProxy;
import chat.testing.TerminalClient;
import chat.testing.TestClient;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client in real headless browsers against a real node (its page and /ws on the node's
 * web port): two users in two browsers, a browser user and a terminal-client user, a node restart.
 */
class WebClientTest extends WebTestBase {
  /** Where the test leaves its screenshot (the README shows one). */
  static final Path SCREENSHOT = Path.of("target", "screenshots", "web-client.png");

  @Test
  void thePageComesCompressedAndIsRevalidatedNotKeptStale() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(URI.create(node.webUrl() + "js/chat.js"))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, first.statusCode());
    assertEquals("gzip", first.headers().firstValue("content-encoding").orElse(""));
    assertTrue(first.headers().firstValue("content-type").orElse("").startsWith("text/javascript"),
        "an ES module needs a JavaScript type: " + first.headers().map());
    assertEquals("no-cache", first.headers().firstValue("cache-control").orElse(""),
        "revalidated every time: a new version is picked up at once");
    assertTrue(first.headers().firstValue("last-modified").isEmpty(), "a node's own date would differ between nodes");
    // tagged by content: every node and every restart gives the same file the same tag
    String tag = first.headers().firstValue("etag").orElseThrow(() -> new AssertionError(first.headers().map()));
    HttpResponse<byte[]> again = http.send(HttpRequest.newBuilder(URI.create(node.webUrl() + "js/chat.js"))
        .header("If-None-Match", tag).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(304, again.statusCode(), "revalidated, not sent again");
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(node.webUrl() + "app.css"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode(), "HEAD as well as GET");
    assertTrue(head.headers().firstValue("etag").isPresent(), head.headers().map().toString());
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(node.webUrl() + "no/such.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(node.webUrl())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("<script type=\"module\" src=\"js/app.js\">"), index.body());
  }

  @Test
  void twoBrowsersBefriendChatTypeReadMakeAGroupAndKeepTheirHistoryAcrossAReload() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    String aliceName = TestClient.uniqueName("alice");
    String bobName = TestClient.uniqueName("bob");
    long aliceId = alice.register(aliceName, "pw-alice");
    long bobId = bob.register(bobName, "pw-bob");

    // find by name, add: both see the friendship, and each other online
    alice.findAndAddFriend(bobName, bobId);
    bob.friend(aliceId);
    alice.friendShown(bobId, "online");
    bob.friendShown(aliceId, "online");

    String pair = V2.pair(aliceId, bobId);
    alice.openFriend(bobId);
    String hello = "你好，" + bobName + " 👋";
    alice.send(hello);
    bob.unreadShown(pair, 1);
    bob.openConv(pair);
    bob.message(hello);
    bob.unreadShown(pair, 0);
    alice.statusShown(hello, "read");

    // typing, then an answer both ways
    bob.type("typing an answer");
    alice.typingShown(bobName);
    bob.clearComposer();
    String answer = "hi alice! 中文和 emoji 🎉 work";
    bob.send(answer);
    alice.message(answer);
    bob.statusShown(answer, "read");

    // a message text is never HTML
    String evil = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> & <b>bold</b>";
    alice.send(evil);
    bob.message(evil);
    alice.statusShown(evil, "read");
    assertEquals(Boolean.TRUE, bob.script("return window.pwned === undefined;"));
    assertEquals(0L, bob.script("return document.querySelectorAll('#msg-list script, #msg-list img, #msg-list b').length;"));

    // a group: created by alice, joined by bob, members shown, messages both ways
    long group = alice.createGroup("读书会 book club", "books 📚");
    bob.joinGroup(group);
    alice.membersShown(List.of(aliceId, bobId));
    bob.membersShown(List.of(aliceId, bobId));
    bob.send("hello group 大家好");
    alice.message("hello group 大家好");
    alice.send("welcome, bob 🙂");
    bob.message("welcome, bob 🙂");
    alice.statusShown("welcome, bob 🙂", "delivered");
    assertEquals(List.of("g:" + group, pair), alice.convOrder(), "most recent first");

    alice.openConv(pair);
    alice.send("see you at the club");
    bob.unreadShown(pair, 1);
    assertEquals(List.of(pair, "g:" + group), alice.convOrder());
    alice.screenshot(SCREENSHOT);

    // a reload logs in again with the saved token and shows the same history
    bob.reload();
    assertEquals(bobId, bob.myId());
    bob.connected();
    bob.openConv(pair);
    bob.message("see you at the club");
    assertEquals(List.of(hello, answer, evil, "see you at the club"), bob.texts());
    bob.openConv("g:" + group);
    assertEquals(List.of("hello group 大家好", "welcome, bob 🙂"), bob.texts());

    // and chatting goes on after it
    bob.send("back after a reload");
    alice.openConv("g:" + group);
    alice.message("back after a reload");

    // leaving the group: the others see the member go
    bob.leaveOpenGroup();
    alice.membersShown(List.of(aliceId));

    // removing a friend: gone on both sides
    alice.openConv(pair);
    alice.removeOpenFriend();
    alice.notAFriend(bobId);
    bob.notAFriend(aliceId);
  }

  @Test
  void onANarrowScreenOnePaneAtATimeAndTheKeyboardWorks() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    long group = alice.createGroup("phones", "");
    alice.openFriend(friends.bobId());
    alice.send("one");
    String pair = friends.conv();

    // Alt+Up / Alt+Down walk the conversation list, Enter sends
    alice.keys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.ALT, org.openqa.selenium.Keys.ARROW_DOWN));
    alice.until("the group open", () -> ("g:" + group).equals(alice.openConv()) ? true : null);
    alice.keys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.ALT, org.openqa.selenium.Keys.ARROW_UP));
    alice.until("the pair open", () -> pair.equals(alice.openConv()) ? true : null);

    alice.resize(390, 800);
    alice.until("only the conversation shown", () -> alice.displayed("conversation") && !alice.displayed("sidebar") ? true : null);
    alice.send("from a phone");
    bob.openConv(pair);
    bob.message("from a phone");
    alice.click("back");
    alice.until("only the list shown", () -> alice.displayed("sidebar") && !alice.displayed("conversation") ? true : null);
    alice.screenshot(SCREENSHOT.resolveSibling("web-client-narrow.png"));
  }

  @Test
  void messagesSentWhileTheNodeRestartsAreResentAndNothingIsLostOrDoubled() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    String pair = friends.conv();
    alice.openFriend(friends.bobId());
    alice.send("before the restart");
    bob.openConv(pair);
    bob.message("before the restart");

    node.stopNode();
    alice.disconnectedSeen();
    bob.disconnectedSeen();
    alice.send("written while the node was down");
    bob.send("bob too, while it was down");
    assertEquals("pending", alice.status("written while the node was down"));
    assertEquals("pending", bob.status("bob too, while it was down"));

    node.startNode();
    alice.connected();
    bob.connected();
    bob.message("written while the node was down");
    alice.message("bob too, while it was down");
    alice.statusShown("written while the node was down", "read");
    bob.statusShown("bob too, while it was down", "read");

    List<String> expected = List.of("before the restart", "written while the node was down", "bob too, while it was down");
    assertEquals(sorted(expected), sorted(alice.texts()), "each once");
    assertEquals(sorted(expected), sorted(bob.texts()), "each once");
    bob.reload();
    bob.connected();
    bob.openConv(pair);
    bob.message("bob too, while it was down");
    assertEquals(sorted(expected), sorted(bob.texts()), "the store has each once");
  }

  @Test
  void aMessageWhoseConfirmationWasLostIsResentWithItsIdAndShownOnce() {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", node.webPort());
    open.add(proxy::close);
    ChatPage alice = ChatPage.open("http://127.0.0.1:" + proxy.port() + "/", "alice");
    open.add(alice);
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    alice.openFriend(friends.bobId());
    bob.openFriend(friends.aliceId());

    // the node takes the message and delivers it, but its confirmation never reaches alice's page
    proxy.muteAnswers();
    alice.send("its confirmation was lost");
    bob.message("its confirmation was lost");
    assertEquals("pending", alice.status("its confirmation was lost"));

    // the connection drops: the page logs in again and resends it with the same cmid
    proxy.cut();
    proxy.resume();
    alice.connected();
    // bob's RECEIPT went the way of the confirmation; the conversation list says how far he read
    alice.statusShown("its confirmation was lost", "read");
    alice.send("and the next one");
    bob.message("and the next one");
    assertEquals(List.of("its confirmation was lost", "and the next one"), alice.texts());
    assertEquals(List.of("its confirmation was lost", "and the next one"), bob.texts(), "delivered once");
  }

  @Test
  void loggingOutOrASessionThatEndedBringsBackTheLoginForm() {
    ChatPage alice = browser("alice");
    long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
    alice.click("logout");
    alice.visible(org.openqa.selenium.By.id("login-form"));
    assertEquals(null, alice.script("return localStorage.getItem('clusterchat.session');"), "the token is forgotten");
    alice.login(aliceId, "pw-alice");
    alice.connected();

    // a token the server no longer takes (expired, revoked): the page asks for the password again
    alice.script("const s = JSON.parse(localStorage.getItem('clusterchat.session'));"
        + " s.token = 'not-a-token-of-ours'; localStorage.setItem('clusterchat.session', JSON.stringify(s));");
    alice.reload();
    alice.until("the login form again", () -> "signed-out".equals(alice.phase()) ? true : null);
    alice.until("why", () -> alice.script("return document.getElementById('login-error').textContent;")
        .toString().contains("session has ended") ? true : null);
    alice.login(aliceId, "pw-alice");
    alice.connected();
  }

  @Test
  void aBrowserUserAndATerminalClientUserTalk() {
    ChatPage alice = browser("alice");
    String aliceName = TestClient.uniqueName("alice");
    long aliceId = alice.register(aliceName, "pw-alice");
    String tomName = TestClient.uniqueName("tom");
    long tomId;
    try (TerminalClient terminal = TerminalClient.start(node.port())) {
      tomId = terminal.register(tomName, "pw-tom");
      terminal.login(tomId, "pw-tom");

      alice.findAndAddFriend(tomName, tomId);
      alice.friendShown(tomId, "online");
      alice.openFriend(tomId);
      alice.send("hello from the browser, 你好");
      terminal.expect("[" + aliceId + "]" + aliceName + " said: hello from the browser, 你好");
      terminal.type("chat:" + aliceId + ":hello from the terminal 🖥");
      terminal.expect("sent to [" + aliceId + "]: delivered");
      alice.message("hello from the terminal 🖥");
      terminal.type("quit");
    }
    // the terminal user logged out: the page shows it (PRESENCE)
    alice.friendShown(tomId, "offline");
  }

  @Test
  void historyLoadsPageByPageOnScrollAfterAReload() {
    ChatPage alice = browser("alice");
    long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
    try (TestClient bob = node.connect()) {
      long bobId = bob.registerAndLogin("bob");
      bob.send(new JsonObject().put("msgid", 7).put("friendid", aliceId).put("seq", "f"));
      bob.expect(11);
      int count = 120;
      for (int i = 1; i <= count; i++) {
        bob.chat(aliceId, "note " + i, i);
      }
      for (int i = 1; i <= count; i++) {
        bob.expect(14);
      }
      String pair = V2.pair(aliceId, bobId);
      alice.unreadShown(pair, count);

      // after a reload nothing is loaded: the newest page first, older ones as the reader scrolls up
      alice.reload();
      alice.connected();
      alice.unreadShown(pair, count);
      alice.openConv(pair);
      alice.message("note " + count);
      alice.unreadShown(pair, 0);
      assertTrue(alice.texts().size() < count, "not everything at once: " + alice.texts().size());
      alice.until("the first message, scrolling up", () -> {
        alice.scrollToTop();
        return alice.texts().contains("note 1") ? true : null;
      });
      assertEquals(IntStream.rangeClosed(1, count).mapToObj(i -> "note " + i).toList(), alice.texts());
    }
  }

  private static List<String> sorted(List<String> texts) {
    return texts.stream().sorted().toList();
  }
}
