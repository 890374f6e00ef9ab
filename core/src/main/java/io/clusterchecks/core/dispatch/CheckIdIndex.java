package io.clusterchecks.core.dispatch;

/**
 * The config each check ID belongs to, so runner stats (keyed by check ID) find their config.
 * Open addressing with linear probing over the ID strings the configs hold already (their cached
 * hash codes pick the slot): about a dozen bytes per ID, where a {@code HashMap<String, String>}
 * entry took forty. Dispatch thread only.
 */
final class CheckIdIndex {
  private String[] ids = new String[0];
  private DispatchedConfig[] configs = new DispatchedConfig[0];
  private int size;

  /** The config of a check ID, or null. */
  DispatchedConfig get(String id) {
    int s = slotOf(id);
    return s < 0 ? null : configs[s];
  }

  /** Maps the ID to the config, replacing the config it named before, as the last config with an ID wins. */
  void put(String id, DispatchedConfig dc) {
    int s = slotOf(id);
    if (s >= 0) {
      configs[s] = dc;
      return;
    }
    if ((size + 1) * 4L > ids.length * 3L) {
      rehash(DigestBits.grown(ids.length));
    }
    int cap = ids.length;
    int i = homeOf(id, cap);
    while (ids[i] != null) {
      if (++i == cap) {
        i = 0;
      }
    }
    ids[i] = id;
    configs[i] = dc;
    size++;
  }

  /** Forgets the ID if it still names {@code dc} (the same digest): another config may have taken it since. */
  void remove(String id, DispatchedConfig dc) {
    int s = slotOf(id);
    if (s < 0 || configs[s].digestBits() != dc.digestBits()) {
      return;
    }
    size--;
    int cap = ids.length;
    int h = s;
    int j = s;
    while (true) {
      if (++j == cap) {
        j = 0;
      }
      if (ids[j] == null) {
        break;
      }
      if (DigestBits.canShift(h, j, homeOf(ids[j], cap))) {
        ids[h] = ids[j];
        configs[h] = configs[j];
        h = j;
      }
    }
    ids[h] = null;
    configs[h] = null;
  }

  private int slotOf(String id) {
    if (size == 0) {
      return -1;
    }
    int cap = ids.length;
    int hash = id.hashCode();
    int i = homeOf(id, cap);
    while (true) {
      String at = ids[i];
      if (at == null) {
        return -1;
      }
      if (at.hashCode() == hash && at.equals(id)) {
        return i;
      }
      if (++i == cap) {
        i = 0;
      }
    }
  }

  private static int homeOf(String id, int capacity) {
    return DigestBits.home(DigestBits.spread(id.hashCode()), capacity);
  }

  private void rehash(int capacity) {
    String[] oldIds = ids;
    DispatchedConfig[] oldConfigs = configs;
    ids = new String[capacity];
    configs = new DispatchedConfig[capacity];
    for (int k = 0; k < oldIds.length; k++) {
      if (oldIds[k] != null) {
        int i = homeOf(oldIds[k], capacity);
        while (ids[i] != null) {
          if (++i == capacity) {
            i = 0;
          }
        }
        ids[i] = oldIds[k];
        configs[i] = oldConfigs[k];
      }
    }
  }
}
