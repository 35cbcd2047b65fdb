package chat.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8}. */
public record Network(byte[] prefix, int bits, String text) {

  static Network parse(String cidr) {
    String[] parts = cidr.split("/");
    try {
      // only literal addresses: no name lookups at start-up
      if (!parts[0].matches("[0-9a-fA-F:.]+")) {
        throw new UnknownHostException(parts[0]);
      }
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (parts.length > 2 || bits < 0 || bits > address.length * 8) {
        throw new NumberFormatException();
      }
      return new Network(address, bits, cidr);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("'limits.exemptNetworks' holds '" + cidr + "', not a network like 10.0.0.0/8");
    }
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != prefix.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (a[full] & mask) == (prefix[full] & mask);
  }
}
