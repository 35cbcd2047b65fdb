package chat.store;

import java.util.List;
import java.util.Optional;

/**
/**
 * What a login reply shows: the user (empty when the token is not, or no longer, valid), their
 * friends, their groups with every member, the oldest page of the entries no session of theirs was
 * pushed yet (their own among them, which callers skip), and whom they block and who blocks them.
 * {@code markTaken}: the login took the user's owing mark, which its session settles once it has
 * written everything owed.
 */
public record UserCard(Optional<User> user, List<User> friends, List<Group> groups, List<LogStore.Entry> owed,
                       boolean markTaken, BlockStore.Lists blocks) {
}
