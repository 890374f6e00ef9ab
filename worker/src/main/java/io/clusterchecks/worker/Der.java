package io.clusterchecks.worker;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of ASN.1 DER (ITU-T X.690) that certificates and key files need, written and read
 * by hand so the agent carries no certificate library: tag, length, value, with definite lengths.
 */
public final class Der {
  private Der() {}

  /** One element: its tag, and its value (the bytes after the length). */
  public record Element(int tag, byte[] value) {}

  public static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int shift = 28;
      while (shift > 0 && (arc >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write(0x80 | ((arc >>> shift) & 0x7F));
      }
      out.write(arc & 0x7F);
    }
    return tlv(0x06, out.toByteArray());
  }

  public static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  public static byte[] utf8(String s) {
    return tlv(0x0C, s.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] bitString(byte[] bits) {
    byte[] value = new byte[bits.length + 1]; // first octet: no unused bits
    System.arraycopy(bits, 0, value, 1, bits.length);
    return tlv(0x03, value);
  }

  public static byte[] tagged(int tag, byte[] inner) {
    return tlv(tag, inner);
  }

  public static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  public static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** The elements inside a constructed value (a SEQUENCE's contents, for instance), in order. */
  public static List<Element> elements(byte[] contents) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < contents.length) {
      int tag = contents[i++] & 0xFF;
      if (i >= contents.length) {
        throw new IllegalArgumentException("DER element cut short after its tag");
      }
      int length = contents[i++] & 0xFF;
      if (length >= 0x80) {
        int bytes = length & 0x7F;
        if (bytes == 0 || bytes > 3 || i + bytes > contents.length) {
          throw new IllegalArgumentException("unsupported or broken DER length");
        }
        length = 0;
        for (int k = 0; k < bytes; k++) {
          length = (length << 8) | (contents[i++] & 0xFF);
        }
      }
      if (length > contents.length - i) {
        throw new IllegalArgumentException("DER element longer than its container");
      }
      byte[] value = new byte[length];
      System.arraycopy(contents, i, value, 0, length);
      out.add(new Element(tag, value));
      i += length;
    }
    return out;
  }

  /** The value of a single top-level element with the given tag. */
  public static byte[] unwrap(int tag, byte[] der) {
    List<Element> all = elements(der);
    if (all.size() != 1 || all.get(0).tag() != tag) {
      throw new IllegalArgumentException("expected one DER element with tag " + tag);
    }
    return all.get(0).value();
  }
}
