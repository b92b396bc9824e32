package org.jwws.node;

import java.io.BufferedReader;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in a JVM of its own, started from the fat jar as a user would, that a test can kill.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("node ready(?: on ws://[^:]+:(\\d+)/)?");
  private static final int KEPT_LINES = 60;

  private final Process process;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final Deque<String> lastLines = new ArrayDeque<>();

  private NodeProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "node-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -jar jw-gateway.jar ARGS} in an empty directory (no conf/ to pick up). */
  static NodeProcess start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  /** The same, with these environment variables added. */
  static NodeProcess start(Map<String, String> env, String... args) throws IOException {
    String jar = System.getProperty("jwgw.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property jwgw.jar must name the built fat jar, not " + jar);
    }
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar));
    command.addAll(List.of(args));
    Path workDir = Files.createTempDirectory("jw-node");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new NodeProcess(builder.start());
  }

  /** Waits for the ready line; the gateway port, or -1 for a node without gateway. */
  int awaitReady() throws Exception {
    try {
      return ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node process not ready: " + e + "\n" + output(), e);
    }
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

  synchronized String output() {
    return String.join("\n", lastLines);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
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
  }

  private synchronized void keep(String line) {
    lastLines.addLast(line);
    if (lastLines.size() > KEPT_LINES) {
      lastLines.removeFirst();
    }
  }
}
