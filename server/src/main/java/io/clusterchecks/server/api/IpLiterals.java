package io.clusterchecks.server.api;

/**
 * Checks that a string is a literal IPv4 or IPv6 address, without any name resolution, with the
 * rules of the reference's parser (docs/reference/scenarios.md item 51): dotted-quad IPv4 without leading zeros; IPv6 with
 * at most one {@code ::}, groups of 1–4 hex digits, an optional trailing dotted quad, no zone and
 * no brackets. {@code InetAddress.getByName} is not usable here: it falls back to DNS for
 * anything that does not parse as a literal ({@code "localhost"}, {@code "127.0.0.1.1"}).
 */
final class IpLiterals {
  private IpLiterals() {}

  static boolean isIpLiteral(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return false;
    }
    return s.indexOf(':') >= 0 ? isIpv6(s) : isIpv4(s);
  }

  static boolean isIpv4(String s) {
    int parts = 0;
    int i = 0;
    int n = s.length();
    while (true) {
      int start = i;
      int value = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return false;
        }
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return false;
      }
      parts++;
      if (i == n) {
        return parts == 4;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return false;
      }
      i++;
    }
  }

  static boolean isIpv6(String s) {
    int ellipsis = s.indexOf("::");
    if (ellipsis >= 0 && s.indexOf("::", ellipsis + 1) >= 0) {
      return false;
    }
    int groups;
    if (ellipsis < 0) {
      groups = countGroups(s, true);
      return groups == 8;
    }
    String head = s.substring(0, ellipsis);
    String tail = s.substring(ellipsis + 2);
    int headGroups = head.isEmpty() ? 0 : countGroups(head, false);
    int tailGroups = tail.isEmpty() ? 0 : countGroups(tail, true);
    if (headGroups < 0 || tailGroups < 0) {
      return false;
    }
    // "::" stands for at least one zero group.
    return headGroups + tailGroups <= 7;
  }

  /**
   * Counts the 16-bit groups of a colon-separated run, or returns -1 if it is malformed. A final
   * dotted quad, allowed only when {@code last}, counts as two groups.
   */
  private static int countGroups(String run, boolean last) {
    String[] parts = run.split(":", -1);
    int groups = 0;
    for (int p = 0; p < parts.length; p++) {
      String part = parts[p];
      if (last && p == parts.length - 1 && part.indexOf('.') >= 0) {
        if (!isIpv4(part)) {
          return -1;
        }
        groups += 2;
        continue;
      }
      if (part.isEmpty() || part.length() > 4 || !isHex(part)) {
        return -1;
      }
      groups++;
    }
    return groups;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }
}
