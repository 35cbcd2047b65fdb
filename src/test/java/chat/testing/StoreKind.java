package chat.testing;

/** The two stores every integration suite runs against. */
public enum StoreKind { EMBEDDED, MYSQL }
