package io.clusterchecks.server.confd;

import java.util.Comparator;

/**
 * The order conf.d names are read in: the byte order of their UTF-8 text, which is how the
 * reference's Go sorts names and how {@code Path.compareTo} ordered them before.
 *
 * <p>Why not {@code Path.compareTo}: sorting a million paths, and keeping them in sorted maps,
 * compared and hashed whole paths (about an eighth of a scan's samples), where the names inside
 * one directory are all that differ. Why not {@code String.compareTo}: UTF-16 order puts a
 * character outside the Basic Multilingual Plane (a surrogate pair) before U+E000 to U+FFFF,
 * where UTF-8 (code point) order puts it after; this comparator fixes exactly that case and is
 * otherwise a plain char comparison.
 */
final class NameOrder implements Comparator<String> {
  static final NameOrder INSTANCE = new NameOrder();

  private NameOrder() {}

  @Override
  public int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean sx = Character.isSurrogate(x);
        boolean sy = Character.isSurrogate(y);
        if (sx != sy) {
          return sx ? 1 : -1; // a pair is a code point above every char that is not part of one
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
