// What the page keeps in the browser (localStorage), per origin: the session token (so a reload
// or a dropped connection logs in again without the password), the messages not yet confirmed by
// the server (resent after a reload too), the other users' read receipts, the open conversation.

const PREFIX = "clusterchat.";

function read(key, fallback) {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text === null ? fallback : JSON.parse(text);
  } catch (e) {
    return fallback;
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) {
      localStorage.removeItem(PREFIX + key);
    } else {
      localStorage.setItem(PREFIX + key, JSON.stringify(value));
    }
  } catch (e) {
    // private mode or full: the page still works, it only forgets more on reload
  }
}

export const Saved = {
  /** { id, name, token } of the last login, or null. */
  session: () => read("session", null),
  setSession: (s) => write("session", s),

  outbox: (userId) => read(`outbox.${userId}`, []),
  setOutbox: (userId, items) => write(`outbox.${userId}`, items.length ? items : null),

  receipts: (userId) => read(`receipts.${userId}`, {}),
  setReceipts: (userId, receipts) => write(`receipts.${userId}`, receipts),

  openConv: (userId) => read(`open.${userId}`, null),
  setOpenConv: (userId, key) => write(`open.${userId}`, key),
};
