package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.security.Tokens;
import chat.store.Credentials;
import chat.store.DuplicateNameException;
import chat.store.Group;
import chat.store.User;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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
    long id = request.id("id");
    String address = session.remoteAddress();
    if (!s.addresses().loginAllowed(address)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "too many failed logins from your address: wait a minute");
    }
    String token = request.optionalText("token");
    Future<Optional<User>> authenticated;
    String digest;
    if (token != null) {
      digest = Tokens.digest(token);
      authenticated = byToken(id, digest);
    } else {
      String password = request.text("password", MAX_PASSWORD_CHARS);
      digest = null;
      authenticated = byPassword(id, password);
    }
    return authenticated.compose(user -> {
      if (user.isEmpty()) {
        s.addresses().loginFailed(address);
        LOG.info("failed login for user {} from {}", id, address);
        session.send(Messages.loginFailed(1, BAD_LOGIN, request.seq()));
        return Future.succeededFuture();
      }
      return s.presence().claim(id, session.id()).compose(claimed -> {
        if (!claimed) {
          session.send(Messages.loginFailed(2, IN_USE, request.seq()));
          return Future.succeededFuture();
        }
        return enter(session, user.get(), token, digest, request)
            .recover(err -> session.unbind()
                .eventually(() -> s.presence().release(id, session.id()))
                .transform(v -> Future.failedFuture(err)));
      });
    });
  }

  private Future<Optional<User>> byPassword(long id, String password) {
    return s.store().users().credentials(id)
        .compose(found -> hashing.verify(password, found.map(Credentials::passwordHash).orElse(null))
            .map(ok -> ok ? found.map(Credentials::user) : Optional.empty()));
  }

  private Future<Optional<User>> byToken(long id, String digest) {
    return s.store().tokens().owner(digest, System.currentTimeMillis())
        .map(owner -> owner.filter(user -> user.id() == id));
  }

  /** The user is authenticated and claimed: bind, build the legacy reply, deliver the offline queue. */
  private Future<Void> enter(Session session, User user, String presentedToken, String presentedDigest,
                             Request request) {
    String token = presentedToken != null ? presentedToken : Tokens.newToken();
    String digest = presentedDigest != null ? presentedDigest : Tokens.digest(token);
    Future<Void> saved = presentedToken != null
        ? Future.succeededFuture()
        : s.store().tokens().save(digest, user.id(),
            System.currentTimeMillis() + TimeUnit.HOURS.toMillis(s.limits().tokenHours()));
    Mailbox mailbox = new Mailbox(user.id(), s.store().offline());
    return saved
        .compose(v -> session.bind(user, digest, mailbox))
        .compose(v -> Future.all(s.store().friends().friendsOf(user.id()), s.store().groups().groupsOf(user.id())))
        .compose(lists -> {
          List<User> friends = lists.resultAt(0);
          List<Group> groups = lists.resultAt(1);
          return s.presence().online(everyone(friends, groups))
              .compose(online -> mailbox.drainFirst(offline -> session.sendFlushed(Messages.loginOk(
                  user.id(), user.name(), friendEntries(friends, online), groupEntries(groups, online),
                  offline, token, request.seq()))));
        })
        .onSuccess(v -> {
          LOG.info("user {} logged in on session {}", user.id(), session.id());
          mailbox.continueAfterLogin(session);
        });
  }

  Future<Void> logout(Session session, Request request) {
    User user = session.user();
    String digest = session.tokenDigest();
    return leave(session, user)
        .compose(v -> digest == null ? Future.succeededFuture() : s.store().tokens().revoke(digest))
        .onSuccess(v -> {
          LOG.info("user {} logged out", user.id());
          if (request.seq() != null) {
            session.send(Messages.ack(MsgId.LOGINOUT_ACK, request.seq()));
          }
        });
  }

  /** The connection closed: the user is offline, but their token stays valid for a re-login. */
  Future<Void> disconnect(Session session) {
    User user = session.user();
    return user == null ? Future.succeededFuture() : leave(session, user);
  }

  private Future<Void> leave(Session session, User user) {
    return session.unbind().eventually(() -> s.presence().release(user.id(), session.id()));
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
