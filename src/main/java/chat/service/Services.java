package chat.service;

import chat.cluster.Presence;
import chat.cluster.Router;
import chat.config.Limits;
import chat.security.PasswordHasher;
import chat.security.AddressLimiter;
import chat.security.Tokens;
import chat.store.Store;
import io.vertx.core.Vertx;

/** What the request handlers need, wired once per node and shared by all its event loops. */
public record Services(Vertx vertx, Store store, Presence presence, Router router, PasswordHasher hasher,
                       Tokens tokens, Limits limits, AddressLimiter addresses) {
}
