package chat.protocol;

/** Every msgid of PROTOCOL.md. */
public final class MsgId {
  public static final int LOGIN = 1;
  public static final int LOGIN_ACK = 2;
  public static final int LOGINOUT = 3;
  public static final int REG = 4;
  public static final int REG_ACK = 5;
  public static final int ONE_CHAT = 6;
  public static final int ADD_FRIEND = 7;
  public static final int CREATE_GROUP = 8;
  public static final int ADD_GROUP = 9;
  public static final int GROUP_CHAT = 10;
  public static final int ADD_FRIEND_ACK = 11;
  public static final int CREATE_GROUP_ACK = 12;
  public static final int ADD_GROUP_ACK = 13;
  public static final int CHAT_ACK = 14;
  public static final int LOGINOUT_ACK = 15;
  public static final int SYNC = 30;
  public static final int SYNC_ACK = 31;
  public static final int CONVERSATIONS = 32;
  public static final int CONVERSATIONS_ACK = 33;
  public static final int READ = 34;
  public static final int READ_ACK = 35;
  public static final int RECEIPT = 36;
  public static final int TYPING = 37;
  public static final int PRESENCE = 38;
  public static final int REMOVE_FRIEND = 40;
  public static final int REMOVE_FRIEND_ACK = 41;
  public static final int LEAVE_GROUP = 42;
  public static final int LEAVE_GROUP_ACK = 43;
  public static final int SOCIAL = 44;
  public static final int FIND_USER = 45;
  public static final int FIND_USER_ACK = 46;
  public static final int CARD = 47;
  public static final int CARD_ACK = 48;
  public static final int CHANGE_PASSWORD = 49;
  public static final int CHANGE_PASSWORD_ACK = 50;
  public static final int BLOCK = 51;
  public static final int BLOCK_ACK = 52;
  public static final int UNBLOCK = 53;
  public static final int UNBLOCK_ACK = 54;
  public static final int EDIT = 55;
  public static final int RECALL = 56;
  public static final int CHANGED = 57;
  public static final int PING = 20;
  public static final int PONG = 21;
  public static final int ERROR = 99;

  private MsgId() {
  }

  /**
   * Whether a request's only effect is its answer (a query, a typing signal): once the client is
   * gone there is no point running it. Everything else still runs, LOGIN and LOGINOUT included: a
   * chat queued behind them depends on who is logged in.
   */
  public static boolean onlyAnswers(int msgid) {
    return switch (msgid) {
      case SYNC, CONVERSATIONS, TYPING, FIND_USER, CARD, PING -> true;
      default -> false;
    };
  }
}
