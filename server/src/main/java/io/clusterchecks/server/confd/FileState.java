package io.clusterchecks.server.confd;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.server.confd.ConfdLayout.Candidate;
import java.nio.file.Path;

/**
 * What the source knows of one conf.d file: the layout's index holds one per file known, in read
 * order, and the source's scans update it.
 *
 * <p>Why the index holds it (rather than a map by path beside the index): at a million files,
 * looking each file up by its path in a second map, while listing, recording and reconciling, was
 * an eighth of a scan's samples, and the map's entries a part of the heap kept per file.
 *
 * <p>Mutable; guarded by the source's scan lock. A check on the pool reads only the
 * {@link Stamp} and hash given to it when the file was listed.
 */
final class FileState {
  /** What tells, without reading a file, that it may have changed: size, modification time (ns), identity. */
  record Stamp(long size, long modifiedNanos, Object fileKey) {}

  final Candidate candidate;
  /** The file's name in its directory: what orders it there. */
  final String name;
  /** Size, modification time and identity when last read; null before the first read. */
  Stamp stamp;
  /** Hash of the bytes last parsed: a rewrite with the same bytes is not parsed again. */
  long contentHash;
  /** The file's latest usable config (kept while the file is broken or empty), or null. */
  Config config;
  /** {@link Digests#digest} of {@link #config}. */
  String digest;
  /** Whether the file last parsed as a valid file (a cluster check or not): it names its check. */
  boolean valid;
  /** What the listener has from this file: {@link #config}, or null while not served. */
  Config scheduled;
  /** The file that serves the same config, while this one is a duplicate. */
  Path duplicateOf;

  FileState(Candidate candidate, String name) {
    this.candidate = candidate;
    this.name = name;
  }

  Path path() {
    return candidate.path();
  }
}
