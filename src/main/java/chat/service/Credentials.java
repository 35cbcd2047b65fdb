package chat.service;

import chat.protocol.Request;
import chat.security.Tokens;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who a LOGIN claims to be, and what it proves it with: an id with a token or else a password, or
 * (without an id) a name with a password; {@code id} is 0 for a name.
 */
record Credentials(long id, String name, String token, String password) {
  /**
   * The credentials of a LOGIN, or null when the id or name, token or password is missing or
   * malformed (the legacy client sends id 0 for a name typed instead of a number): such a login is
   * simply invalid, answered like a wrong password. A token logs in by id only.
   */
  static Credentials of(Request request) {
    JsonNode id = request.body().get("id");
    if ((id == null || id.isNull()) && request.body().has("name")) {
      String name = text(request.body().get("name"), AccountService.MAX_NAME_CHARS);
      String password = text(request.body().get("password"), AccountService.MAX_PASSWORD_CHARS);
      // a lone surrogate, which no registered name holds, would reach MariaDB as '?'
      return name == null || password == null || Request.loneSurrogate(name) >= 0 ? null
          : new Credentials(0, name, null, password);
    }
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
      return null;
    }
    String token = text(request.body().get("token"), Tokens.MAX_CHARS);
    String password = token != null ? null : text(request.body().get("password"), AccountService.MAX_PASSWORD_CHARS);
    return token == null && password == null ? null : new Credentials(id.longValue(), null, token, password);
  }

  private static String text(JsonNode value, int maxChars) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    String s = value.textValue();
    return !s.isEmpty() && s.codePointCount(0, s.length()) <= maxChars ? s : null;
  }
}
