package io.clusterchecks.server.kube;

/**
 * Whether Go's {@code net/url.Parse} accepts a text. The reference brackets an IPv6
 * {@code %%host%%} only when the string it sits in still parses as a URL with the brackets, so
 * this decides between {@code http://[fd00::1]:80} and a bare {@code fd00::1}.
 *
 * <p>The rules kept are those that can fail: control characters; a scheme with nothing before its
 * {@code :}; a first path segment holding a {@code :} when there is no scheme; an authority whose
 * host has an unclosed {@code [}, a port that is not all digits, or a character a host may not
 * hold; user info with a character it may not hold; and a {@code %} not followed by two hex
 * digits. Everything else parses, as in Go (its parser is lenient).
 *
 * <p>Stateless and thread-safe.
 */
final class GoUrl {
  private GoUrl() {}

  static boolean parses(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    int hash = raw.indexOf('#');
    if (hash >= 0 && !validEscapes(raw.substring(hash + 1), false)) {
      return false;
    }
    String url = hash >= 0 ? raw.substring(0, hash) : raw;
    if (url.equals("*")) {
      return true;
    }
    int schemeEnd = schemeEnd(url);
    if (schemeEnd == 0) {
      return false; // ":..." : a missing scheme
    }
    boolean hasScheme = schemeEnd > 0;
    String rest = hasScheme ? url.substring(schemeEnd + 1) : url;
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (!rest.startsWith("/")) {
      if (hasScheme) {
        return true; // opaque: anything goes
      }
      int slash = rest.indexOf('/');
      if ((slash >= 0 ? rest.substring(0, slash) : rest).indexOf(':') >= 0) {
        return false;
      }
    }
    if ((hasScheme || !rest.startsWith("///")) && rest.startsWith("//")) {
      String authority = rest.substring(2);
      int slash = authority.indexOf('/');
      rest = slash >= 0 ? authority.substring(slash) : "";
      if (!validAuthority(slash >= 0 ? authority.substring(0, slash) : authority)) {
        return false;
      }
    }
    return validEscapes(rest, false);
  }

  /** Index of the scheme's {@code :}, 0 for a text starting with one, -1 when there is no scheme. */
  private static int schemeEnd(String url) {
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          return -1;
        }
        continue;
      }
      return c == ':' ? i : -1;
    }
    return -1;
  }

  private static boolean validAuthority(String authority) {
    int at = authority.lastIndexOf('@');
    if (!validHost(at >= 0 ? authority.substring(at + 1) : authority)) {
      return false;
    }
    if (at < 0) {
      return true;
    }
    String userinfo = authority.substring(0, at);
    for (int i = 0; i < userinfo.length(); i++) {
      char c = userinfo.charAt(i);
      if (!(c < 0x80 && Character.isLetterOrDigit(c)) && "-._:~!$&'()*+,;=%@".indexOf(c) < 0) {
        return false;
      }
    }
    return validEscapes(userinfo, false);
  }

  private static boolean validHost(String host) {
    if (host.startsWith("[")) {
      int close = host.lastIndexOf(']');
      if (close < 0 || !validPort(host.substring(close + 1))) {
        return false;
      }
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0 && !validPort(host.substring(colon))) {
        return false;
      }
    }
    return validEscapes(host, true);
  }

  /** Empty, or {@code :} followed by digits only. */
  private static boolean validPort(String port) {
    if (port.isEmpty()) {
      return true;
    }
    if (port.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Go's {@code unescape}: every {@code %} starts two hex digits; in a host only {@code %25} or an
   * escape of a non-ASCII byte, and no ASCII character a host may not hold.
   */
  private static boolean validEscapes(String s, boolean host) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
          return false;
        }
        if (host && Character.digit(s.charAt(i + 1), 16) < 8 && !s.startsWith("%25", i)) {
          return false;
        }
        i += 2;
      } else if (host && c < 0x80 && !Character.isLetterOrDigit(c) && "!$&'()*+,;=:[]<>\"-_.~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}
