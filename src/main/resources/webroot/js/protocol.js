// The message ids and names of PROTOCOL.md that the page uses.

export const MsgId = Object.freeze({
  LOGIN: 1, LOGIN_ACK: 2, LOGINOUT: 3, REG: 4, REG_ACK: 5,
  ONE_CHAT: 6, ADD_FRIEND: 7, CREATE_GROUP: 8, ADD_GROUP: 9, GROUP_CHAT: 10,
  ADD_FRIEND_ACK: 11, CREATE_GROUP_ACK: 12, ADD_GROUP_ACK: 13, CHAT_ACK: 14, LOGINOUT_ACK: 15,
  PING: 20, PONG: 21,
  SYNC: 30, SYNC_ACK: 31, CONVERSATIONS: 32, CONVERSATIONS_ACK: 33, READ: 34, READ_ACK: 35,
  RECEIPT: 36, TYPING: 37, PRESENCE: 38,
  REMOVE_FRIEND: 40, REMOVE_FRIEND_ACK: 41, LEAVE_GROUP: 42, LEAVE_GROUP_ACK: 43, SOCIAL: 44,
  FIND_USER: 45, FIND_USER_ACK: 46, CARD: 47, CARD_ACK: 48,
  BLOCK: 51, BLOCK_ACK: 52, UNBLOCK: 53, UNBLOCK_ACK: 54, EDIT: 55, RECALL: 56, CHANGED: 57,
  ERROR: 99,
});

/** Pushes the page asks for at login. */
export const CAPS = ["receipts", "typing", "presence", "social", "edits"];

/** LOGIN errno 2: the user has as many live sessions as the cluster allows (its errmsg says so in plain words). */
export const IN_USE = 2;
/** ERROR codes worth retrying: rate limited, store or broker unavailable. */
export const RETRYABLE = new Set([107, 503]);

/** "p:13:14" for users 13 and 14, smaller id first. */
export function peerConv(a, b) {
  return a < b ? `p:${a}:${b}` : `p:${b}:${a}`;
}

export function groupConv(groupId) {
  return `g:${groupId}`;
}

/** { kind: "p", peer } or { kind: "g", group } for a conversation key, seen by user `me`. */
export function parseConv(key, me) {
  const parts = String(key).split(":");
  if (parts[0] === "g" && parts.length === 2) {
    return { kind: "g", group: Number(parts[1]) };
  }
  if (parts[0] === "p" && parts.length === 3) {
    const a = Number(parts[1]);
    const b = Number(parts[2]);
    return { kind: "p", peer: a === me ? b : a };
  }
  return null;
}

/** The entries of LOGIN_MSG_ACK / CARD_ACK arrays: JSON text, for the classic client's sake. */
export function parseEntries(list) {
  const out = [];
  for (const item of list || []) {
    try {
      out.push(typeof item === "string" ? JSON.parse(item) : item);
    } catch (e) {
      console.warn("bad entry", item);
    }
  }
  return out;
}

/** The classic client's time format, "2026-11-25 10:00:00", in local time. */
export function classicTime(date = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} `
    + `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** A client message id: 128 random bits in hex (crypto.randomUUID needs a secure context; this does not). */
export function newCmid() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "w" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
