package org.jwws.bench;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;

/**
 * The run's progress on stderr: phases done of those planned, elapsed time, an estimate of the
 * time left, and the phase running now. A terminal gets one bar redrawn in place; a log (CI,
 * a pipe) a plain line every few seconds instead of carriage returns.
 */
final class Phases implements AutoCloseable {

  private final ProgressBar bar;

  Phases(int planned) {
    ProgressBarBuilder builder = new ProgressBarBuilder()
      .setTaskName("bench")
      .setInitialMax(planned)
      .setUnit(" phases", 1)
      .setStyle(ProgressBarStyle.ASCII);
    if (!onTerminal()) {
      builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(5_000);
    } else {
      builder.setUpdateIntervalMillis(1_000);
    }
    bar = builder.build();
  }

  /** Java 22+ has a console even when stderr is redirected: ask it (17 to 21 have none then). */
  private static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException beforeJava22) {
      return true;
    }
  }

  /** A phase begins: {@code what} shows next to the bar. */
  void begin(String what) {
    bar.setExtraMessage(what);
  }

  void done() {
    bar.step();
  }

  @Override
  public void close() {
    bar.close();
  }
}
