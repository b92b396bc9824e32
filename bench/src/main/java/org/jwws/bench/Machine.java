package org.jwws.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line about the machine the figures come from.
 */
final class Machine {

  private Machine() {
  }

  /** The 1, 5 and 15 minute load averages (/proc/loadavg): on a shared machine, what else ran. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception notLinux) {
      return "unknown";
    }
  }

  static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(line -> line.startsWith("model name")).findFirst()
        .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (Exception ignored) {
      // not Linux: keep the default
    }
    return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java " + System.getProperty("java.version")
      + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }
}
