// What the page keeps in the browser (localStorage), per origin: the session token (so a reload
// or a dropped connection logs in again without the password), the messages not yet confirmed by
// the server (resent after a reload too), the other users' read receipts, the open conversation, a
// new user's welcome until dismissed. Logging out removes all but the unconfirmed messages (sent at
// the user's next login).

const PREFIX = "clusterchat.";

function read(key, fallback) {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text === null ? fallback : JSON.parse(text);
  } catch (e) {
    return fallback;
  }
}

/** The keys this page keeps that start with `prefix`. */
function keys(prefix) {
  try {
    return Object.keys(localStorage).filter((k) => k.startsWith(PREFIX + prefix)).map((k) => k.slice(PREFIX.length));
  } catch (e) {
    return [];
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

  /** The name a new user's welcome shows, until they dismiss it (null then). */
  welcome: (userId) => read(`welcome.${userId}`, null),
  setWelcome: (userId, name) => write(`welcome.${userId}`, name),

  /**
   * Logging out: all the page kept but unconfirmed messages goes, of every user (nobody is signed in
   * here any more; older versions of the page left these behind).
   */
  forgetReading: () => {
    for (const key of ["receipts.", "open.", "welcome."].flatMap(keys)) {
      write(key, null);
    }
  },
};
