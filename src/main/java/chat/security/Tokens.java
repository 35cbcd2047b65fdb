package chat.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Session tokens: 128 random bits followed by a 128-bit HMAC-SHA256 of the user id and those bits,
 * under a key shared by the cluster. The MAC lets a node refuse a forged or mistyped token before it
 * takes the user's presence claim or asks the store; what makes a token valid is still its SHA-256
 * digest in the store (so LOGINOUT revokes it and it expires).
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 16;
  private static final int MAC_BYTES = 16;
  private static final int TOKEN_CHARS = 43;
  /** No token is longer; a longer one is not worth looking at. */
  public static final int MAX_CHARS = TOKEN_CHARS;
  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public Tokens(byte[] macKey) {
    this.key = new SecretKeySpec(macKey, HMAC);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public String issue(long userId) {
    byte[] token = new byte[NONCE_BYTES + MAC_BYTES];
    RANDOM.nextBytes(token);
    System.arraycopy(mac(userId, token), 0, token, NONCE_BYTES, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /** Whether this token was issued by the cluster for this user (not whether it is still valid). */
  public boolean issuedFor(long userId, String token) {
    if (token.length() != TOKEN_CHARS) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return bytes.length == NONCE_BYTES + MAC_BYTES
        && MessageDigest.isEqual(mac(userId, bytes), Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length));
  }

  private byte[] mac(long userId, byte[] token) {
    Mac mac = macs.get();
    mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, userId));
    mac.update(token, 0, NONCE_BYTES);
    return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hex SHA-256; a fast digest suffices because the token itself carries 128 random bits. */
  public static String digest(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
