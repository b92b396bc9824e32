package org.jwws.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line about the machine the figures come from.
 */
final class Machine {

  private Machine() {
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
