package chat.store;

import java.util.List;

/** A chat group with its members, creator first. */
public record Group(long id, String name, String description, List<Member> members) {

  /** One member and their role: {@code creator} or {@code normal}. */
  public record Member(User user, String role) {
    public static final String CREATOR = "creator";
    public static final String NORMAL = "normal";
  }
}
