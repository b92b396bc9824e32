package org.jwws.node;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in a JVM of its own, started from the fat jar as a user would, that a test can kill.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("node ready(?: on ws://[^:]+:(\\d+)/)?");
  private static final int KEPT_LINES = 60;
  /** An ERROR line of the jar's text log format, or a line of a stack trace. */
  private static final Pattern ERROR_OR_TRACE = Pattern.compile("^\\S+ \\S+ ERROR |^\\s+at |^Caused by: |^\\S*(Exception|Error)(: |$)");
  private static final int KEPT_ERRORS = 200;
  private static final Pattern WARN = Pattern.compile("^\\S+ \\S+ WARN ");

  private final Process process;
  /** Everything the node printed, whole: for a look after a failure. */
  private final Path log;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final List<String> errorLines = new ArrayList<>();
  private final List<String> warnLines = new ArrayList<>();

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::readOutput, "node-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -jar jw-gateway.jar ARGS} in an empty directory (no conf/ to pick up). */
  static NodeProcess start(String... args) throws IOException {
    return start(Map.of(), null, args);
  }

  /**
   * Starts {@code java -jar jw-gateway.jar ARGS} with these environment variables besides this
   * JVM's, in a directory of its own holding {@code conf/node.json} when {@code confNodeJson} is given.
   */
  static NodeProcess start(Map<String, String> env, String confNodeJson, String... args) throws IOException {
    String jar = System.getProperty("jwgw.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property jwgw.jar must name the built fat jar, not " + jar);
    }
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar));
    command.addAll(List.of(args));
    Path workDir = Files.createTempDirectory("jw-node");
    if (confNodeJson != null) {
      Files.writeString(Files.createDirectories(workDir.resolve("conf")).resolve("node.json"), confNodeJson);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new NodeProcess(builder.start(), workDir.resolve("output.log"));
  }

  /** Waits for the ready line; the gateway port, or -1 for a node without gateway. */
  int awaitReady() throws Exception {
    try {
      return ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node process not ready: " + e + "\n" + output(), e);
    }
  }

  /** The exit code of a process that stops by itself, once its output is read to the end. */
  int awaitExit() throws Exception {
    try {
      outputEnded.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("node did not exit\n" + output(), e);
    }
    return process.waitFor();
  }

  /** SIGKILL: the JVM dies at once, saying goodbye to nobody. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the node's shutdown hook stops it gracefully. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("node did not stop on SIGTERM\n" + output());
    }
    return process.exitValue();
  }

  Path log() {
    return log;
  }

  synchronized String output() {
    return String.join("\n", lastLines);
  }

  /** Every ERROR line and stack-trace line it printed so far (the first {@value KEPT_ERRORS}). */
  synchronized List<String> errorLines() {
    return new ArrayList<>(errorLines);
  }

  /** Every WARN line it printed so far (the first {@value KEPT_ERRORS}). */
  synchronized List<String> warnLines() {
    return new ArrayList<>(warnLines);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        keep(line);
        Matcher matcher = READY.matcher(line);
        if (matcher.find()) {
          ready.complete(matcher.group(1) == null ? -1 : Integer.parseInt(matcher.group(1)));
        }
      }
    } catch (IOException e) {
      keep("output read failed: " + e);
    }
    ready.completeExceptionally(new IllegalStateException("process ended before it was ready"));
    outputEnded.complete(null);
  }

  private synchronized void keep(String line) {
    if (errorLines.size() < KEPT_ERRORS && ERROR_OR_TRACE.matcher(line).find()) {
      errorLines.add(line);
    }
    if (warnLines.size() < KEPT_ERRORS && WARN.matcher(line).find()) {
      warnLines.add(line);
    }
    lastLines.addLast(line);
    if (lastLines.size() > KEPT_LINES) {
      lastLines.removeFirst();
    }
  }
}
