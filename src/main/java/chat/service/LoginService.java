package chat.service;

import chat.admission.AddressLimiter;
import chat.cluster.Presence;
import chat.config.Limits;
import chat.delivery.Router;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.security.PasswordHasher;
import chat.security.Tokens;
import chat.session.Outbound;
import chat.session.Session;
import chat.store.LogStore;
import chat.store.Store;
import chat.store.User;
import chat.store.UserCard;
import chat.store.UserStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * LOGIN (by password or token), LOGINOUT, and the end of a connection: who a session is, from the
 * claim of the user to the login reply and back.
 */
final class LoginService {
  private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);
  /** The pushes a session may ask for in its LOGIN ({@code caps}). */
  static final Set<String> CAPS = Set.of(ConversationService.RECEIPTS, ConversationService.TYPING,
      Notices.PRESENCE, Notices.SOCIAL, Outbound.EDITS);
  /** Owed messages read with the login card; what does not fit into the reply follows as pushes. */
  static final int OFFLINE_PAGE = 1000;
  /**
   * The longest login reply line a legacy session gets: the classic client reads it with one
   * 1024-byte recv into a zeroed 1024-byte buffer and parses that as a C string, so one byte stays NUL.
   */
  static final int LEGACY_REPLY_BYTES = 1023;
  private static final String BAD_LOGIN = "id or password is invalid!";
  private static final String IN_USE = "this account is using, input another!";
  private static final String TOO_MANY = "signed in on too many devices (%d): sign out of one";

  private final Store store;
  private final Presence presence;
  private final PasswordHasher hasher;
  private final Tokens tokens;
  private final Limits limits;
  private final AddressLimiter addresses;
  private final Notices notices;
  private final Router router;
  private final int maxPerUser;

  LoginService(Services services, Notices notices) {
    this.notices = notices;
    this.store = services.store();
    this.presence = services.presence();
    this.hasher = services.hasher();
    this.tokens = services.tokens();
    this.limits = services.limits();
    this.addresses = services.addresses();
    this.router = services.router();
    this.maxPerUser = services.sessions().maxPerUser();
  }

  Future<Void> login(Session session, Request request, Reply reply) {
    if (session.user() != null) {
      throw new ChatException(ErrorCode.FORBIDDEN,
          "already logged in as " + session.user().id() + ": send LOGINOUT first");
    }
    String address = session.remoteAddress();
    if (!addresses.loginStarted(address)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "too many failed logins from your address: wait a minute");
    }
    // through compose, so that an attempt that throws ends too
    return Future.<Void>succeededFuture().compose(v -> attempt(session, request, reply))
        .andThen(done -> addresses.loginEnded(address));
  }

  private Future<Void> attempt(Session session, Request request, Reply reply) {
    Credentials credentials = Credentials.of(request);
    if (credentials == null) {
      return refuse(session, 0, request, reply);
    }
    long id = credentials.id();
    // the classic client sends none of these: its session gets the classic shapes only
    boolean legacy = session.mayBeLegacy() && !request.has("seq") && !request.has("token") && !request.has("caps");
    Login login = new Login(legacy, caps(request), request, reply);
    if (credentials.name() != null) {
      // an unknown name takes the unknown id's path: verified against the decoy hash, as long
      return store.users().holder(credentials.name())
          .compose(holder -> hasher.verify(credentials.password(), holder.map(UserStore.Holder::passwordHash).orElse(null))
              .compose(ok -> ok
                  ? enter(session, holder.get().id(), legacy ? null : tokens.issue(holder.get().id()), true, login)
                  : refuse(session, 0, request, reply)));
    }
    if (credentials.token() != null) {
      // a token the cluster never issued for this id is refused before any claim or lookup
      return tokens.issuedFor(id, credentials.token())
          ? enter(session, id, credentials.token(), false, login)
          : refuse(session, id, request, reply);
    }
    return store.users().passwordHash(id)
        .compose(hash -> hasher.verify(credentials.password(), hash.orElse(null)))
        .compose(ok -> ok
            ? enter(session, id, legacy ? null : tokens.issue(id), true, login)
            : refuse(session, id, request, reply));
  }

  /** A LOGIN under way: what kind of session it makes, and where its answer goes. */
  private record Login(boolean legacy, Set<String> caps, Request request, Reply reply) {
  }

  /** The pushes the LOGIN asks for that this server makes ({@code caps}); unknown ones are left out. */
  private static Set<String> caps(Request request) {
    JsonNode asked = request.body().get("caps");
    if (asked == null || asked.isNull()) {
      return Set.of();
    }
    if (!asked.isArray()) {
      throw ChatException.badRequest("caps must be an array of strings");
    }
    Set<String> granted = new LinkedHashSet<>();
    for (JsonNode cap : asked) {
      if (!cap.isTextual()) {
        throw ChatException.badRequest("caps must be an array of strings");
      }
      if (CAPS.contains(cap.textValue())) {
        granted.add(cap.textValue());
      }
    }
    return granted;
  }

  /** A failed login; {@code id} 0 for one by name (the name is not logged: people type passwords there too). */
  private Future<Void> refuse(Session session, long id, Request request, Reply reply) {
    addresses.loginFailed(session.remoteAddress());
    if (id == 0 && request.body().has("name") && !request.body().has("id")) {
      LOG.info("failed login by name from {}", session.remoteAddress());
    } else {
      LOG.info("failed login for user {} from {}", id, session.remoteAddress());
    }
    reply.send(Messages.refused(MsgId.LOGIN_ACK, 1, BAD_LOGIN, request.seq()));
    return Future.succeededFuture();
  }

  /**
   * Claims the user cluster-wide (one session for a legacy login, the classic rule), binds the
   * session (so drain signals are not missed), has the user's other sessions write how far they
   * were pushed, then reads the card in one statement, which also checks the token. {@code token}
   * is null for a legacy session: it gets none.
   */
  private Future<Void> enter(Session session, long id, String token, boolean newToken, Login login) {
    Request request = login.request();
    Reply reply = login.reply();
    String digest = token == null ? null : Tokens.digest(token);
    return presence.claim(id, session.id(), login.legacy() ? 1 : maxPerUser).compose(claim -> {
      if (claim == Presence.Claim.REFUSED) {
        return refuseAtLimit(session, id, newToken ? null : digest, login);
      }
      return session.bind(id, digest, login.legacy(), login.caps())
          .compose(v -> newToken && token != null ? saveToken(id, digest) : Future.succeededFuture())
          // what their other sessions were pushed is not owed to this one (only they know it yet)
          .compose(v -> claim == Presence.Claim.ANOTHER
              ? router.notify(List.of(id), Outbound.cursorsWanted(id))
              : Future.succeededFuture())
          .compose(v -> digest == null
              ? store.cards().loginCard(id, OFFLINE_PAGE, session.holder())
              : store.cards().loginCard(id, digest, System.currentTimeMillis(), OFFLINE_PAGE, session.holder()))
          .compose(card -> card.user().isEmpty()
              ? leave(session, id).compose(v -> refuse(session, id, request, reply))
              : welcome(session, card, token, login, claim == Presence.Claim.FIRST))
          .recover(err -> leave(session, id).transform(v -> Future.failedFuture(err)));
    });
  }

  /**
   * The user holds every place they may: errno 2, in the classic words for a legacy login, in plain
   * ones for a v2 login. A presented token ({@code presentedDigest}) is checked first: a revoked or
   * expired one gets errno 1 like any bad credential, so it never tells whether the user is online.
   */
  private Future<Void> refuseAtLimit(Session session, long id, String presentedDigest, Login login) {
    Future<Boolean> credential = presentedDigest == null
        ? Future.succeededFuture(true)
        : store.tokens().valid(presentedDigest, id, System.currentTimeMillis());
    return credential.compose(valid -> {
      if (!valid) {
        return refuse(session, id, login.request(), login.reply());
      }
      String why = login.legacy() ? IN_USE : TOO_MANY.formatted(maxPerUser);
      login.reply().send(Messages.refused(MsgId.LOGIN_ACK, 2, why, login.request().seq()));
      return Future.succeededFuture();
    });
  }

  private Future<Void> saveToken(long id, String digest) {
    return store.tokens().save(digest, id, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(limits.tokenHours()));
  }

  /**
   * Writes the login reply, then admits the session: nothing reaches the client before this reply.
   * The user's first session ({@code first}) tells their friends they are online.
   */
  private Future<Void> welcome(Session session, UserCard card, String token, Login login, boolean first) {
    User user = card.user().orElseThrow();
    return CardLists.of(presence, card).compose(lists -> {
      ObjectNode answer = Messages.loginOk(user.id(), user.name(), lists.friends(), lists.groups(), token,
          login.request().seq());
      if (login.request().has("caps")) {
        login.caps().forEach(answer.putArray("caps")::add);
      }
      if (!login.legacy()) {
        // for clients to enforce as their user types
        answer.putObject("limits").put("maxTextChars", limits.maxTextChars()).put("maxFrameBytes", limits.maxFrameBytes())
            .put("editSeconds", limits.editSeconds()).put("recallSeconds", limits.recallSeconds());
        Messages.blocked(answer, card.blocks().blocked());
      }
      List<LogStore.Entry> page = card.owed();
      int taken = addOwed((ArrayNode) answer.get("offlinemsg"), page, user.id(), login.legacy() ? answer : null);
      boolean more = taken < page.size() || page.size() == OFFLINE_PAGE;
      return login.reply().send(answer)
          .compose(v -> session.admit(user, page.subList(0, taken), more, card.markTaken(), card.blocks()));
    }).onSuccess(v -> {
      LOG.debug("user {} logged in on session {}", user.id(), session.id());
      if (first) {
        notices.online(user.id(), card.friends().stream().map(User::id).toList());
      }
    });
  }

  /**
   * Adds the owed messages to the reply's {@code offlinemsg}, oldest first, as they are now (edited,
   * recalled), but for the user's own (they wrote them) and edit and recall entries; for a legacy
   * session ({@code legacyReply} set) in the classic shape, without recalled ones, and only as many
   * as keep the reply within {@link #LEGACY_REPLY_BYTES}. Returns how many of the page it took
   * (those skipped count as taken).
   */
  private static int addOwed(ArrayNode offline, List<LogStore.Entry> page, long me, ObjectNode legacyReply) {
    for (int i = 0; i < page.size(); i++) {
      LogStore.Entry entry = page.get(i);
      if (entry.senderId() == me || entry.kind().isChange()
          || (legacyReply != null && entry.kind() == LogStore.Kind.RECALLED)) {
        continue;
      }
      if (legacyReply == null) {
        offline.add(entry.body());
        continue;
      }
      offline.add(Messages.text(Messages.legacy(Messages.parseObject(entry.body()))));
      if (Messages.bytes(legacyReply).length + 1 > LEGACY_REPLY_BYTES) {
        offline.remove(offline.size() - 1);
        return i;
      }
    }
    return page.size();
  }

  Future<Void> logout(Session session, Request request, Reply reply) {
    User user = session.user();
    String digest = session.tokenDigest();
    return leave(session, user.id())
        .compose(v -> digest == null ? Future.succeededFuture() : store.tokens().revoke(digest))
        .onSuccess(v -> {
          LOG.debug("user {} logged out", user.id());
          reply.ack(Messages.ack(MsgId.LOGINOUT_ACK, request.seq()));
        });
  }

  /** The connection closed: the user is offline, but their token stays valid for a re-login. */
  Future<Void> disconnect(Session session) {
    User user = session.user();
    return user == null ? Future.succeededFuture() : leave(session, user.id());
  }

  /**
   * The session ends, or a login that did not complete gives its place back: when it was the user's
   * last, their friends learn they are offline (a friend's login card may have shown the claim).
   */
  private Future<Void> leave(Session session, long id) {
    return session.unbind().eventually(() -> presence.release(id, session.id()).onSuccess(last -> {
      if (last) {
        notices.offline(id);
      }
    }));
  }

}
