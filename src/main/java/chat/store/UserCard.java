package chat.store;

import java.util.List;
import java.util.Optional;

/**
 * What a login reply shows, read in one round trip: the user (empty when the token is not, or no
 * longer, valid), their friends, their groups with every member, the oldest page of the entries no
 * session of theirs was pushed yet (their own among them, which callers skip), and whom they block
 * and who blocks them.
 */
public record UserCard(Optional<User> user, List<User> friends, List<Group> groups, List<LogStore.Entry> owed,
                       BlockStore.Lists blocks) {
}
