package chat.store;

/** A user with their password hash, for login only. */
public record Credentials(User user, String passwordHash) {
}
