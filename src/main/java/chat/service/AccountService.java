package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.security.Tokens;
import chat.store.DuplicateNameException;
import chat.store.Group;
import chat.store.User;
import chat.store.UserCard;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** REG, LOGIN (by password or token) and LOGINOUT. */
final class AccountService {
  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
  static final int MAX_NAME_CHARS = 64;
  static final int MAX_PASSWORD_CHARS = 256;
  private static final String BAD_LOGIN = "id or password is invalid!";
  private static final String IN_USE = "this account is using, input another!";

  private final Services s;
  private final Hashing hashing;

  AccountService(Services services) {
    this.s = services;
    this.hashing = new Hashing(services.vertx(), services.hasher());
  }

  Future<Void> register(Session session, Request request) {
    String name = request.text("name", MAX_NAME_CHARS);
    String password = request.text("password", MAX_PASSWORD_CHARS);
    return hashing.hash(password)
        .compose(hash -> s.store().users().create(name, hash))
        .map(id -> {
          LOG.info("registered user {}", id);
          return Messages.ack(MsgId.REG_ACK, request.seq()).put("id", id);
        })
        .recover(err -> err instanceof DuplicateNameException
            ? Future.succeededFuture(Messages.withSeq(Messages.object(MsgId.REG_ACK).put("errno", 1)
                .put("errmsg", "name '" + name + "' is already taken"), request.seq()))
            : Future.failedFuture(err))
        .map(reply -> {
          session.send(reply);
          return null;
        });
  }

  Future<Void> login(Session session, Request request) {
    if (session.user() != null) {
      throw new ChatException(ErrorCode.FORBIDDEN,
          "already logged in as " + session.user().id() + ": send LOGINOUT first");
    }
    String address = session.remoteAddress();
    if (!s.addresses().loginAllowed(address)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "too many failed logins from your address: wait a minute");
    }
    Credentials credentials = Credentials.of(request);
    if (credentials == null) {
      return refuse(session, 0, request);
    }
    long id = credentials.id();
    if (credentials.token() != null) {
      // a token the cluster never issued for this id is refused before any claim or lookup
      return s.tokens().issuedFor(id, credentials.token())
          ? enter(session, id, credentials.token(), false, request)
          : refuse(session, id, request);
    }
    return s.store().users().passwordHash(id)
        .compose(hash -> hashing.verify(credentials.password(), hash.orElse(null)))
        .compose(ok -> ok ? enter(session, id, s.tokens().issue(id), true, request) : refuse(session, id, request));
  }

  /** What a LOGIN proves itself with: a token, or else a password. */
  private record Credentials(long id, String token, String password) {
    /**
     * The credentials of a LOGIN, or null when the id, token or password is missing or malformed
     * (the legacy client sends id 0 for a name typed instead of a number): such a login is simply
     * invalid, answered like a wrong password.
     */
    static Credentials of(Request request) {
      JsonNode id = request.body().get("id");
      if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
        return null;
      }
      String token = text(request.body().get("token"), Tokens.MAX_CHARS);
      String password = token != null ? null : text(request.body().get("password"), MAX_PASSWORD_CHARS);
      return token == null && password == null ? null : new Credentials(id.longValue(), token, password);
    }

    private static String text(JsonNode value, int maxChars) {
      if (value == null || !value.isTextual()) {
        return null;
      }
      String s = value.textValue();
      return !s.isEmpty() && s.codePointCount(0, s.length()) <= maxChars ? s : null;
    }
  }

  private Future<Void> refuse(Session session, long id, Request request) {
    s.addresses().loginFailed(session.remoteAddress());
    LOG.info("failed login for user {} from {}", id, session.remoteAddress());
    session.send(Messages.loginFailed(1, BAD_LOGIN, request.seq()));
    return Future.succeededFuture();
  }

  /**
   * Claims the user cluster-wide, binds the session (so drain signals are not missed), then reads
   * the card in one statement, which also checks the token. The offline page it carries goes out
   * inside the login reply.
   */
  private Future<Void> enter(Session session, long id, String token, boolean newToken, Request request) {
    return s.presence().claim(id, session.id()).compose(claimed -> {
      if (!claimed) {
        session.send(Messages.loginFailed(2, IN_USE, request.seq()));
        return Future.succeededFuture();
      }
      String digest = Tokens.digest(token);
      Mailbox mailbox = new Mailbox(id, s.store().offline());
      return session.bind(id, digest, mailbox)
          .compose(v -> newToken ? saveToken(id, digest) : Future.succeededFuture())
          .compose(v -> s.store().cards().card(id, digest, System.currentTimeMillis(), Mailbox.PAGE))
          .compose(card -> card.user().isEmpty()
              ? leave(session, id).compose(v -> refuse(session, id, request))
              : welcome(session, card, token, mailbox, request))
          .recover(err -> leave(session, id).transform(v -> Future.failedFuture(err)));
    });
  }

  private Future<Void> saveToken(long id, String digest) {
    return s.store().tokens().save(digest, id,
        System.currentTimeMillis() + TimeUnit.HOURS.toMillis(s.limits().tokenHours()));
  }

  private Future<Void> welcome(Session session, UserCard card, String token, Mailbox mailbox, Request request) {
    User user = card.user().orElseThrow();
    return session.admit(user)
        .compose(v -> s.presence().online(everyone(card.friends(), card.groups())))
        .compose(online -> mailbox.drainFirst(card.offline(), offline -> session.sendFlushed(Messages.loginOk(
            user.id(), user.name(), friendEntries(card.friends(), online), groupEntries(card.groups(), online),
            offline, token, request.seq()))))
        .onSuccess(v -> {
          LOG.debug("user {} logged in on session {}", user.id(), session.id());
          mailbox.continueAfterLogin(session);
        });
  }

  Future<Void> logout(Session session, Request request) {
    User user = session.user();
    String digest = session.tokenDigest();
    return leave(session, user.id())
        .compose(v -> digest == null ? Future.succeededFuture() : s.store().tokens().revoke(digest))
        .onSuccess(v -> {
          LOG.debug("user {} logged out", user.id());
          if (request.seq() != null) {
            session.send(Messages.ack(MsgId.LOGINOUT_ACK, request.seq()));
          }
        });
  }

  /** The connection closed: the user is offline, but their token stays valid for a re-login. */
  Future<Void> disconnect(Session session) {
    User user = session.user();
    return user == null ? Future.succeededFuture() : leave(session, user.id());
  }

  private Future<Void> leave(Session session, long id) {
    return session.unbind().eventually(() -> s.presence().release(id, session.id()));
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
