package io.alvlm.data;

/** IEEE 754 half precision and bfloat16 conversions (Java 17 has neither built in). */
public final class Half {
  private Half() {}

  /** The float value of an IEEE half-precision bit pattern. */
  public static float toFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int rest = h & 0x7fff;
    if (rest >= 0x7c00) {
      return Float.intBitsToFloat(sign | 0x7f800000 | ((rest & 0x3ff) << 13)); // infinity, NaN
    }
    // exponent and mantissa moved into a float's fields, then rebiased by 2^(127-15): normal and
    // subnormal halves alike, with one multiply and no branch (pools convert rows by the million)
    return Float.intBitsToFloat(sign | (rest << 13)) * 0x1p112f;
  }

  /** The nearest half-precision bit pattern to {@code f} (round to nearest even). */
  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      mant |= 0x800000;
      int shift = 14 - e;
      int half = mant >> shift;
      int rem = mant & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) != 0)) half++;
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++;
    return (short) (sign | half);
  }

  /** The float value of a bfloat16 bit pattern (the top 16 bits of a float). */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** The nearest bfloat16 bit pattern to {@code f} (round to nearest even, as PyTorch converts). */
  public static short toBf16(float f) {
    if (Float.isNaN(f)) {
      return (short) 0x7fc0;
    }
    int bits = Float.floatToRawIntBits(f);
    int bias = ((bits >>> 16) & 1) + 0x7fff;
    return (short) ((bits + bias) >>> 16);
  }
}
