package io.alvlm.clip;

import ai.djl.ndarray.types.DataType;

/**
 * The number type the image tower computes in ({@code model.dtype}). Weights are read as float32
 * and converted once at load; pixels go in and features come out as float32 whatever the type.
 */
public enum Precision {
  FP32("fp32", DataType.FLOAT32),
  FP16("fp16", DataType.FLOAT16),
  BF16("bf16", DataType.BFLOAT16);

  private final String label;
  private final DataType type;

  Precision(String label, DataType type) {
    this.label = label;
    this.type = type;
  }

  public String label() {
    return label;
  }

  public DataType dataType() {
    return type;
  }

  /** {@code fp32}, {@code fp16} or {@code bf16} (case-insensitive). */
  public static Precision of(String name) {
    for (Precision p : values()) {
      if (p.label.equalsIgnoreCase(name.trim())) return p;
    }
    throw new IllegalArgumentException("model.dtype '" + name + "' is not one of fp32, fp16, bf16");
  }
}
