package chat.session;

import chat.log.CursorBook;
import chat.loop.Loop;
import chat.ops.ChatMetrics;
import chat.store.BlockStore;
import chat.store.LogStore;
import chat.store.User;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One client connection as the services and the delivery path both see it: where it comes from,
 * the user it is logged in as (the token it holds, what it asked to be pushed, whether it is a
 * legacy session), its place in each conversation, and the one door ({@link #deliver}) through
 * which everything addressed to it arrives, its own messages included. A login binds it (signals
 * reach it from then on; messages stay owed), the login reply admits it (messages are written from
 * then on), logout or close unbinds it; the same connection may log in again. What it was not
 * pushed stays owed in the log and is caught up from there. Its state lives on the connection's
 * event loop: every entrance hops there first.
 */
public final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  private static final Future<Boolean> REFUSED = Future.succeededFuture(false);
  private static final Future<Boolean> TAKEN = Future.succeededFuture(true);
  private static final Future<Void> GONE = Future.failedFuture(new VertxException("connection closed", true));
  /** Owed messages read from the log at once. */
  static final int PAGE = 1000;

  /** What a node's sessions share; {@code maxPerUser} above 1: a user's own messages reach their other sessions. */
  public record Shared(Vertx vertx, LogStore log, CursorBook cursors, LocalSessions sessions, int maxPerUser,
                       ChatMetrics metrics, BlockStore blocks) {
  }

  private enum State { ANONYMOUS, BOUND, ADMITTED }

  /**
   * Who is logged in on the session, from its bind to its unbind; {@code holder} names this login
   * as the holder of the user's owing mark.
   */
  private record Login(long userId, byte[] tokenDigest, boolean legacy, Set<String> caps, ConversationStreams streams,
                       String holder, Blocks blocks) {
  }

  private final String id;
  private final String remoteAddress;
  private final boolean mayBeLegacy;
  private final Outlet outlet;
  private final Context context;
  private final Shared shared;
  private State state = State.ANONYMOUS;
  private boolean closed;
  private Login login;
  private User user;
  /** The login counts as the first catch-up: one asked for meanwhile waits for its end. */
  private boolean catchingUp;
  private boolean again;
  /** This login took the user's owing mark and has not written everything owed yet. */
  private boolean holdsMark;
  private long logins;

  private Session(String id, String remoteAddress, boolean mayBeLegacy, Outlet outlet, Shared shared) {
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.mayBeLegacy = mayBeLegacy;
    this.outlet = outlet;
    this.context = outlet.context();
    this.shared = shared;
  }

  /**
   * The session of a new connection: {@code id} unique across the cluster (the owner of presence
   * claims), {@code mayBeLegacy} whether the classic client can be at the other end (over a
   * WebSocket it cannot, so no session there is legacy).
   */
  public static Session open(String id, String remoteAddress, boolean mayBeLegacy, Outlet outlet, Shared shared) {
    return new Session(id, remoteAddress, mayBeLegacy, outlet, shared);
  }

  public String id() {
    return id;
  }

  /** The client's IP address (the real one behind nginx with the PROXY protocol). */
  public String remoteAddress() {
    return remoteAddress;
  }

  public boolean mayBeLegacy() {
    return mayBeLegacy;
  }

  /** The admitted user, or null (not logged in, or the login is under way). */
  public User user() {
    return user;
  }

  /** The digest of the token this login holds (hex), or null. */
  public String tokenDigest() {
    return login == null || login.tokenDigest() == null ? null : HexFormat.of().formatHex(login.tokenDigest());
  }

  /** This login, as the holder of the user's owing mark (see {@link LogStore#settle}); null when not bound. */
  public String holder() {
    return login == null ? null : login.holder();
  }

  /** Whether the logged-in session gets only the classic shapes (see PROTOCOL.md, "Legacy sessions"). */
  public boolean legacy() {
    return login != null && login.legacy();
  }

  // --- the login's steps, as the services take them ---

  /**
   * Binds the session to a user whose claim was just won, with the pushes it asked for
   * ({@code caps}): catch-up and kick reach it from now on, messages are refused (they stay owed, to
   * be caught up right after the login reply) until {@link #admit}. Fails if the connection closed.
   */
  public Future<Void> bind(long userId, String tokenDigest, boolean legacy, Set<String> caps) {
    return Loop.call(context, () -> {
      if (closed) {
        return GONE;
      }
      // kept as raw bytes, not hex text: it lives as long as the session (docs/PERFORMANCE.md)
      byte[] digest = tokenDigest == null ? null : HexFormat.of().parseHex(tokenDigest);
      ConversationStreams streams = new ConversationStreams(userId, shared.maxPerUser() > 1, legacy,
          caps.contains(Outbound.EDITS), outlet, shared.vertx(), shared.log(), shared.cursors());
      login = new Login(userId, digest, legacy, Set.copyOf(caps), streams, id + "#" + ++logins,
          new Blocks(userId, shared.blocks(), shared.vertx()));
      state = State.BOUND;
      catchingUp = true;
      again = false;
      shared.sessions().register(userId, this);
      return Future.succeededFuture();
    });
  }

  /**
   * The login reply carrying the owed entries {@code sent} is out: requests now run as this user,
   * with the block lists the login read, messages are written, each conversation goes on after
   * what was sent, and the owed ones that did not fit ({@code more}) follow; {@code markTaken}: the
   * login took the user's owing mark, settled once everything owed is written. Fails if the
   * connection closed.
   */
  public Future<Void> admit(User user, List<LogStore.Entry> sent, boolean more, boolean markTaken,
                            BlockStore.Lists blocks) {
    return Loop.call(context, () -> {
      if (closed || state != State.BOUND) {
        return GONE;
      }
      this.user = user;
      state = State.ADMITTED;
      login.blocks().loaded(blocks);
      shared.metrics().loggedIn();
      login.streams().sent(sent);
      // what the reply carried is not owed any more, also if this node stops right now
      shared.cursors().flush(user.id());
      catchingUp = false;
      holdsMark = markTaken;
      if (more || again) {
        catchUp();
      } else {
        settle();
      }
      return Future.succeededFuture();
    });
  }

  /** Everything owed when this login took the mark is written: the mark goes (unless set again since). */
  private void settle() {
    if (holdsMark) {
      holdsMark = false;
      long userId = login.userId();
      shared.log().settle(userId, login.holder()).onFailure(err ->
          LOG.debug("user {}: owing mark left for the next login: {}", userId, err.toString()));
    }
  }

  /**
   * Logout, close, or a login that did not complete: nothing reaches this session any more, a newer
   * login of the user keeps its own, and how far this one got is written before the user counts as gone.
   */
  public Future<Void> unbind() {
    return Loop.call(context, () -> {
      if (login == null) {
        return Future.succeededFuture();
      }
      Login ending = login;
      if (user != null) {
        shared.metrics().loggedOut();
      }
      login = null;
      user = null;
      state = State.ANONYMOUS;
      holdsMark = false;
      ending.streams().end();
      ending.blocks().end();
      shared.sessions().unregister(ending.userId(), this);
      return shared.cursors().flush(ending.userId()).otherwiseEmpty();
    });
  }

  /** The connection closed: no login binds it any more. */
  public void closed() {
    Loop.run(context, () -> closed = true);
  }

  /** Forgets the places of quiet conversations (the connection's sweep calls this). */
  public void forgetIdle(long now) {
    if (login != null) {
      login.streams().forgetIdle(now);
    }
  }

  /** Whom the logged-in user blocks and who blocks them (on the session's loop, while logged in). */
  public Blocks blocks() {
    return login.blocks();
  }

  // --- the delivery path's door ---

  /**
   * Takes a push: a log entry in its conversation's order (the session's own entry only takes its
   * place: the client knows it from its CHAT_ACK), or a signal for sessions that asked for its cap.
   * Completes on the caller's context: true once written (or needing no write), false when the
   * session does not take it (login not finished, gone, or its reader too slow): it stays owed in
   * the log, and the session catches up from there as soon as it can. A notice that block lists
   * changed is taken once this session's are read again.
   */
  public Future<Boolean> deliver(Outbound message) {
    return Loop.call(context, () -> {
      if (login == null) {
        return REFUSED;
      }
      if (message.isBlocksNotice()) {
        return login.blocks().changed();
      }
      if (message.isCursorsNotice()) {
        return shared.cursors().flush(login.userId()).transform(written -> TAKEN);
      }
      if (id.equals(message.origin())) {
        // this session sent it: an entry takes its place here, a signal is not echoed
        if (message.isEntry()) {
          login.streams().own(message.conv(), message.cseq());
        }
        return TAKEN;
      }
      if (!message.isEntry()) {
        // a signal: only for admitted sessions that asked for it, and never counted as missed
        return state == State.ADMITTED && login.caps().contains(message.cap()) && !login.legacy()
            ? login.streams().signal(message)
            : TAKEN;
      }
      if (state == State.BOUND) {
        // the login reply is not out yet: this one stays owed, caught up right after the reply
        again = true;
        login.streams().missed(message.conv());
        return REFUSED;
      }
      return login.streams().pushed(message).andThen(taken -> {
        if (!taken.result()) {
          catchUp();
        }
      });
    });
  }

  /** Messages are owed to this user: catch up from the log (after the login reply, if it is not out yet). */
  public void catchUp() {
    Loop.run(context, () -> {
      if (login == null) {
        return;
      }
      if (catchingUp) {
        again = true;
        return;
      }
      catchingUp = true;
      again = false;
      readOwed(login);
    });
  }

  /** Writes what the log owes this user, a page at a time, each message in its place. */
  private void readOwed(Login reading) {
    Loop.back(shared.log().owed(reading.userId(), PAGE)).onComplete(page -> {
      if (login != reading) {
        return;
      }
      if (page.failed()) {
        LOG.warn("user {}: cannot read owed messages: {}", reading.userId(), page.cause().toString());
        catchingUp = false;
        return;
      }
      Future<Boolean> last = TAKEN;
      for (LogStore.Entry entry : page.result()) {
        last = reading.streams().fromLog(Outbound.entry(entry));
      }
      boolean full = page.result().size() == PAGE;
      // once nothing is owed any more: what this session missed that another one took
      last.compose(written -> written && !full ? reading.streams().catchUpMissed() : Future.succeededFuture(written))
          .onComplete(done -> {
            catchingUp = false;
            // a full page means more; a refused write means the reader is behind: it comes back when there is room
            if ((full && done.succeeded() && done.result()) || again) {
              catchUp();
            } else if (done.succeeded() && done.result() && !full) {
              settle();
            }
          });
    });
  }

  /** The user now lives elsewhere: close the connection. */
  public void kick() {
    Loop.run(context, () -> {
      if (login != null) {
        LOG.info("user {} is logged in elsewhere now: closing this session", login.userId());
        outlet.close();
      }
    });
  }
}
