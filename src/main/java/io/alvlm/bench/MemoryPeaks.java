package io.alvlm.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process and device memory figures for the benches: the RSS high-water mark and GPU memory in use. */
final class MemoryPeaks {
  private MemoryPeaks() {}

  /** {@code VmHWM} of {@code /proc/self/status}: the most resident memory the process has had; -1 elsewhere. */
  static long residentPeakBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Memory in use on {@code device} (all processes, as cudaMemGetInfo reports it); 0 on a CPU. */
  static long deviceBytes(Device device) {
    if (!device.isGpu()) return 0;
    return CudaUtils.getGpuMemory(device).getUsed();
  }

  static String gib(long bytes) {
    return bytes < 0 ? "n/a" : String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
