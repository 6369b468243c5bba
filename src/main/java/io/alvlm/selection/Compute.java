package io.alvlm.selection;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the selection engine's products run: a device of the PyTorch engine through DJL (BLAS threads
 * on the CPU, CUDA on a GPU) and the precision of the stored rows and their products. Chosen by
 * {@code compute.device=auto|cpu|gpu} ({@code auto}: the GPU when DJL sees one) and
 * {@code compute.half} (fp16 rows and products, honoured on a GPU only; a CPU always computes in fp32).
 * One base {@link NDManager} per device lives for the JVM; work runs in sub-managers of it.
 */
public final class Compute {
  private static final String ENGINE = "PyTorch";
  private static final ConcurrentHashMap<String, NDManager> BASES = new ConcurrentHashMap<>();

  /** The {@code compute.device} setting. */
  public enum Target {
    AUTO, CPU, GPU;

    /** Parses {@code auto}, {@code cpu} or {@code gpu}, case-insensitively. */
    public static Target parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("compute.device must be auto, cpu or gpu, got '" + s + "'");
      }
    }
  }

  /**
   * @param device where products run
   * @param half fp16 rows and products when the device is a GPU (results re-ranked in double on the host)
   */
  public record Settings(Target device, boolean half) {
    public Settings {
      Objects.requireNonNull(device, "device");
    }

    /** {@code auto}, fp32. */
    public static Settings defaults() {
      return new Settings(Target.AUTO, false);
    }
  }

  private final Device device;
  private final DataType type;

  private Compute(Device device, DataType type) {
    this.device = device;
    this.type = type;
  }

  /** Resolves {@code settings} against the GPUs the engine sees. */
  public static Compute of(Settings settings) {
    int gpus = Engine.getEngine(ENGINE).getGpuCount();
    boolean gpu = usesGpu(settings.device(), gpus);
    return new Compute(gpu ? Device.gpu() : Device.cpu(), precision(gpu, settings.half()));
  }

  /** The CPU in fp32 (tests, small work). */
  public static Compute cpu() {
    return new Compute(Device.cpu(), DataType.FLOAT32);
  }

  /** A device and precision as given, without the GPU-only rule for fp16 (tests check fp16 against fp32 on a CPU). */
  static Compute exactly(Device device, DataType type) {
    return new Compute(device, type);
  }

  /** Whether {@code target} runs on a GPU when the engine sees {@code gpus} of them. */
  static boolean usesGpu(Target target, int gpus) {
    return switch (target) {
      case AUTO -> gpus > 0;
      case CPU -> false;
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException("compute.device=gpu but the PyTorch engine sees no GPU; use auto or cpu, "
              + "or install the CUDA native library (docs/gpu.md)");
        }
        yield true;
      }
    };
  }

  /** fp16 only where asked for and on a GPU: CPU BLAS has no fast fp16 product. */
  static DataType precision(boolean gpu, boolean half) {
    return gpu && half ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  public Device device() {
    return device;
  }

  /** The element type of stored rows and products. */
  public DataType type() {
    return type;
  }

  /** A new scope on this device; close it to free everything created in it. */
  NDManager newScope() {
    return BASES.computeIfAbsent(device.toString(), d -> NDManager.newBaseManager(device, ENGINE)).newSubManager(device);
  }

  /** Short name for reports: {@code cpu-fp32}, {@code gpu-fp16}, ... */
  public String name() {
    return (device.isGpu() ? "gpu" : "cpu") + "-" + (type == DataType.FLOAT16 ? "fp16" : "fp32");
  }
}
