package io.clusterchecks.core.dispatch;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;

/**
 * Configs by digest, in insertion order, each with a value (or as a set, where the value is the
 * config itself): what the dispatcher indexes a million configs by, in a dozen bytes each where a
 * {@code LinkedHashMap<String, ...>} took about fifty. The configs sit in an array in insertion
 * order (a removed one leaves a hole, closed up when holes outnumber the rest); an open-addressing
 * table of positions, probed linearly, finds one by its digest's value. Dispatch thread only.
 *
 * @param <V> the value held for each config
 */
final class DigestMap<V> {
  private static final DispatchedConfig[] NO_KEYS = {};
  private static final int[] NO_SLOTS = {};

  /** Whether each config is its own value (a set): then there is no value array. */
  private final boolean set;
  private DispatchedConfig[] keys = NO_KEYS;
  private Object[] values;
  /** Positions used in {@link #keys}, holes included. */
  private int end;
  /** No config sits before this position (holes only), so taking the oldest again and again stays cheap. */
  private int head;
  private int size;
  /** 0 for an empty slot, else the position of a config plus one. */
  private int[] slots = NO_SLOTS;
  private int modCount;

  private DigestMap(boolean set) {
    this.set = set;
    this.values = set ? null : new Object[0];
  }

  /** A map whose values are other objects. */
  static <V> DigestMap<V> map() {
    return new DigestMap<>(false);
  }

  /** A set of configs: {@link #get} and {@link #values} give the configs. */
  static DigestMap<DispatchedConfig> set() {
    return new DigestMap<>(true);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  V get(long digest) {
    int s = slotOf(digest);
    return s < 0 ? null : valueAt(slots[s] - 1);
  }

  /** The value of a digest given as text; null when absent or when the text is not a digest. */
  V get(String digest) {
    return DigestBits.isDigest(digest) ? get(DigestBits.parse(digest)) : null;
  }

  boolean containsKey(long digest) {
    return slotOf(digest) >= 0;
  }

  boolean containsKey(String digest) {
    return DigestBits.isDigest(digest) && containsKey(DigestBits.parse(digest));
  }

  /** Adds the config, last in order; false (and nothing changed) when its digest is there already. */
  boolean putIfAbsent(DispatchedConfig key, V value) {
    if (slotOf(key.digestBits()) >= 0) {
      return false;
    }
    append(key, value);
    return true;
  }

  /** Adds the config last, or replaces the config and value of its digest where it stands; returns the old value. */
  V put(DispatchedConfig key, V value) {
    int s = slotOf(key.digestBits());
    if (s < 0) {
      append(key, value);
      return null;
    }
    int p = slots[s] - 1;
    V old = valueAt(p);
    keys[p] = key;
    if (!set) {
      values[p] = value;
    }
    return old;
  }

  /** Removes the config of a digest; returns its value, or null when it was not there. */
  V remove(long digest) {
    int s = slotOf(digest);
    if (s < 0) {
      return null;
    }
    int p = slots[s] - 1;
    V old = valueAt(p);
    keys[p] = null;
    if (!set) {
      values[p] = null;
    }
    size--;
    modCount++;
    closeSlot(s);
    if (size == 0) {
      end = 0;
      head = 0;
    } else if (end - size > size && end > 16) {
      compact();
    }
    return old;
  }

  V remove(String digest) {
    return DigestBits.isDigest(digest) ? remove(DigestBits.parse(digest)) : null;
  }

  void clear() {
    keys = NO_KEYS;
    values = set ? null : new Object[0];
    slots = NO_SLOTS;
    end = 0;
    head = 0;
    size = 0;
    modCount++;
  }

  /** Each config and its value, in insertion order. */
  void forEach(BiConsumer<DispatchedConfig, V> action) {
    int expected = modCount;
    for (int p = head; p < end; p++) {
      if (keys[p] != null) {
        action.accept(keys[p], valueAt(p));
        if (modCount != expected) {
          throw new ConcurrentModificationException();
        }
      }
    }
  }

  /** The values in insertion order; a live view, which fails fast if the map changes under an iteration. */
  Collection<V> values() {
    return new AbstractCollection<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<V> iterator() {
        return new Iterator<>() {
          private final int expected = modCount;
          private int next = skipHoles(head);

          @Override
          public boolean hasNext() {
            return next < end;
          }

          @Override
          public V next() {
            if (modCount != expected) {
              throw new ConcurrentModificationException();
            }
            if (next >= end) {
              throw new NoSuchElementException();
            }
            V v = valueAt(next);
            next = skipHoles(next + 1);
            return v;
          }
        };
      }
    };
  }

  private int skipHoles(int from) {
    int p = from;
    while (p < end && keys[p] == null) {
      p++;
    }
    if (from == head) {
      head = p;
    }
    return p;
  }

  @SuppressWarnings("unchecked")
  private V valueAt(int position) {
    return (V) (set ? keys[position] : values[position]);
  }

  private int slotOf(long digest) {
    if (size == 0) {
      return -1;
    }
    int cap = slots.length;
    int i = DigestBits.home(DigestBits.spread(digest), cap);
    while (true) {
      int p = slots[i];
      if (p == 0) {
        return -1;
      }
      if (keys[p - 1].digestBits() == digest) {
        return i;
      }
      if (++i == cap) {
        i = 0;
      }
    }
  }

  private void append(DispatchedConfig key, V value) {
    if (end == keys.length) {
      if (end - size >= Math.max(1, end / 4)) {
        compact();
      } else {
        int cap = DigestBits.grown(keys.length);
        keys = Arrays.copyOf(keys, cap);
        if (!set) {
          values = Arrays.copyOf(values, cap);
        }
      }
    }
    keys[end] = key;
    if (!set) {
      values[end] = value;
    }
    end++;
    size++;
    modCount++;
    if (size * 4L > slots.length * 3L) {
      rehash(DigestBits.grown(slots.length));
    } else {
      insertSlot(end - 1);
    }
  }

  private void insertSlot(int position) {
    int cap = slots.length;
    int i = DigestBits.home(DigestBits.spread(keys[position].digestBits()), cap);
    while (slots[i] != 0) {
      if (++i == cap) {
        i = 0;
      }
    }
    slots[i] = position + 1;
  }

  /** Empties slot {@code hole}, shifting back the entries whose probe path crosses it. */
  private void closeSlot(int hole) {
    int cap = slots.length;
    int h = hole;
    int j = hole;
    while (true) {
      if (++j == cap) {
        j = 0;
      }
      int p = slots[j];
      if (p == 0) {
        break;
      }
      int home = DigestBits.home(DigestBits.spread(keys[p - 1].digestBits()), cap);
      if (DigestBits.canShift(h, j, home)) {
        slots[h] = p;
        h = j;
      }
    }
    slots[h] = 0;
  }

  /** Closes the holes left by removals, keeping the order, and renumbers the table. */
  private void compact() {
    int to = 0;
    for (int from = 0; from < end; from++) {
      if (keys[from] != null) {
        keys[to] = keys[from];
        if (!set) {
          values[to] = values[from];
        }
        to++;
      }
    }
    Arrays.fill(keys, to, end, null);
    if (!set) {
      Arrays.fill(values, to, end, null);
    }
    end = to;
    head = 0;
    rehash(slots.length);
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int p = 0; p < end; p++) {
      if (keys[p] != null) {
        insertSlot(p);
      }
    }
  }
}
