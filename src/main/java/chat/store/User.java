package chat.store;

/** A registered user as others see them. */
public record User(long id, String name) {
}
